import { test } from "node:test";
import assert from "node:assert/strict";
import { analysisLink, buildSummary, countByTechnique, sourcesSummary, withThreshold } from "../src/summary.js";

const TECHNIQUES = [
  { name: "Loaded_Language", label: "Loaded language", color: "#ffa800" },
  { name: "Slogans", label: "Slogans", color: "#c078a8" },
];
const ANSWER = {
  title: "T",
  text: "a😀 b",
  analysis_id: "abc_DEF-123",
  spans: [
    { start: 0, end: 1, technique: "Slogans", score: 0.9 },
    { start: 3, end: 4, technique: "Loaded_Language", score: 0.4 },
    { start: 3, end: 4, technique: "Loaded_Language", score: 0.6 },
  ],
  attributions: [{}],
  claims: [{ attribution: 0 }, { attribution: null }],
  hedges: [],
};

test("fragments per technique at a threshold, in the server's order", () => {
  assert.deepEqual(countByTechnique(ANSWER.spans, TECHNIQUES, 0.5), [
    { name: "Loaded_Language", label: "Loaded language", color: "#ffa800", count: 1 },
    { name: "Slogans", label: "Slogans", color: "#c078a8", count: 1 },
  ]);
  assert.equal(countByTechnique(ANSWER.spans, TECHNIQUES, 0.3)[0].count, 2);
});

test("sources and claims counted, or the server's note", () => {
  assert.deepEqual(sourcesSummary(ANSWER), { available: true, attributions: 1, claims: 2, unsourced: 1, hedges: 0 });
  assert.deepEqual(sourcesSummary({ spans: [], sources_note: "needs the sources extra" }), {
    available: false,
    note: "needs the sources extra",
  });
});

test("the link opens the stored analysis on the server's page at the same threshold", () => {
  assert.equal(analysisLink("http://127.0.0.1:8000", "abc_DEF-123", 0.3), "http://127.0.0.1:8000/a/abc_DEF-123?t=0.3");
  assert.equal(analysisLink("http://127.0.0.1:8000", undefined, 0.3), null);
  const summary = buildSummary({
    server: "http://127.0.0.1:8000",
    page: { url: "https://news.example/x", title: "Page", source: "readability" },
    answer: ANSWER,
    techniques: TECHNIQUES,
    threshold: 0.5,
    defaultThreshold: 0.5,
    elapsedMs: 12,
  });
  assert.equal(summary.characters, 4); // code points, as the server counts
  assert.equal(summary.shown, 2);
  const lower = withThreshold(summary, TECHNIQUES, 0.3);
  assert.equal(lower.shown, 3);
  assert.equal(lower.link, "http://127.0.0.1:8000/a/abc_DEF-123?t=0.3");
});
