// proplens page, "Compare two versions" mode. It runs beside app.js and uses its helpers
// ($, el, api, unitOffsets, colorOf, labelOf, place, hideTip, download, state.techniques).
// Same rules: article text only ever reaches the page through textContent and DOM nodes;
// offsets from the API count code points and are mapped to UTF-16 units first.
"use strict";

const cmp = {
  doc: null,
  units: { a: null, b: null },
  files: { a: null, b: null }, // a chosen .txt file, sent as it is unless the text is edited
  pinned: null,
};

const FLAG_LABELS = {
  balance_dropped: "Balance dropped",
  attribution_changed: "Attribution changed",
  source_vaguer: "Source made vaguer",
  source_added: "Source added",
  allegation_as_fact: "Allegation stated as fact",
  speculation_added: "Speculation added",
  hedge_dropped: "Hedge dropped",
  hedge_added: "Hedge added",
  loaded_terms_added: "Loaded terms added",
  loaded_terms_removed: "Loaded terms removed",
  technique_added: "Technique added",
  technique_removed: "Technique removed",
  number_changed: "Number changed",
  unsourced_claim_added: "Unsourced claim added",
};

// -- mode ------------------------------------------------------------------------------------

function setMode(mode) {
  document.body.dataset.mode = mode;
  $("mode-analyze").setAttribute("aria-pressed", String(mode !== "compare"));
  $("mode-compare").setAttribute("aria-pressed", String(mode === "compare"));
  hideTip();
  const hash = mode === "compare" ? "#compare" : "";
  if (location.hash !== hash) history.replaceState(null, "", location.pathname + location.search + hash);
}

function compareStatus(message, isError = false) {
  const status = $("compare-status");
  status.textContent = message;
  status.classList.toggle("error", isError);
  status.setAttribute("role", isError ? "alert" : "status");
}

// -- asking the server -------------------------------------------------------------------------

async function runCompare() {
  const texts = { a: $("text-a").value, b: $("text-b").value };
  for (const side of ["a", "b"]) {
    if (!cmp.files[side] && !texts[side].trim()) {
      compareStatus(`${side.toUpperCase()} is empty: paste its text or choose a .txt file.`, true);
      return;
    }
  }
  const size = new Blob([texts.a, texts.b]).size;
  if (state.health && size > state.health.max_bytes) {
    compareStatus(`The two texts are ${size.toLocaleString()} bytes together; this server ` +
      `accepts at most ${state.health.max_bytes.toLocaleString()}.`, true);
    return;
  }
  let options;
  if (cmp.files.a || cmp.files.b) {
    const form = new FormData();
    for (const side of ["a", "b"]) {
      const file = cmp.files[side] || new Blob([texts[side]], { type: "text/plain" });
      form.append(side, file, cmp.files[side] ? cmp.files[side].name : `${side}.txt`);
    }
    options = { method: "POST", body: form };
  } else {
    options = {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ a: texts.a, b: texts.b }),
    };
  }
  $("compare").disabled = true;
  compareStatus("Comparing…");
  try {
    const doc = await api("/v1/compare", options);
    for (const side of ["a", "b"]) {
      if (cmp.files[side]) $(`text-${side}`).value = doc[side].text;
    }
    showComparison(doc);
    const flags = doc.alignment.reduce((n, item) => n + item.flags.length, 0);
    compareStatus(`Done: ${doc.alignment.length} aligned row(s), ${flags} flag(s).`);
  } catch (err) {
    compareStatus(err.message, true);
  } finally {
    $("compare").disabled = false;
  }
}

// -- rendering ----------------------------------------------------------------------------------

function showComparison(doc) {
  cmp.doc = doc;
  cmp.units = { a: unitOffsets(doc.a.text), b: unitOffsets(doc.b.text) };
  cmp.pinned = null;
  hideTip();
  $("compare-result").hidden = false;
  $("compare-summary").replaceChildren(...doc.summary.text.map((line) => el("p", { text: line })));
  const counts = Object.entries(doc.summary.flags).filter(([, n]) => n > 0).map(([name, n]) =>
    el("li", { class: `flag-${name}` }, el("span", { text: FLAG_LABELS[name] || name }),
      el("span", { class: "count", text: String(n) })));
  if (!counts.length) counts.push(el("li", { class: "empty", text: "No flags." }));
  $("compare-counts").replaceChildren(...counts);
  for (const side of ["a", "b"]) $(`compare-legend-${side}`).replaceChildren(...legendItems(side));
  $("compare-grid").replaceChildren(
    el("div", { class: "crow chead" },
      el("div", { class: "ccell", text: `A: ${doc.a.title}` }),
      el("div", { class: "ccell", text: `B: ${doc.b.title}` })),
    ...doc.alignment.map(renderRow));
}

function legendItems(side) {
  const counts = new Map();
  for (const s of cmp.doc[side].spans) counts.set(s.technique, (counts.get(s.technique) || 0) + 1);
  const items = [...counts.entries()].sort((x, y) => y[1] - x[1]).map(([technique, n]) => {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colorOf(technique);
    return el("li", {}, swatch, el("span", { text: labelOf(technique) }),
      el("span", { class: "count", text: String(n) }));
  });
  return items.length ? items : [el("li", { class: "empty", text: "No technique found." })];
}

function renderRow(item) {
  const row = el("div", { class: `crow kind-${item.kind}`, "data-kind": item.kind });
  row.append(sideCell("a", item), sideCell("b", item));
  if (item.flags.length) {
    row.append(el("ul", { class: "cflags" }, ...item.flags.map((flag) =>
      el("li", { class: `flag-${flag.type}` },
        el("b", { text: FLAG_LABELS[flag.type] || flag.type }),
        document.createTextNode(`${flagDetail(flag)}: ${evidence(flag)}`)))));
  }
  return row;
}

function sideCell(side, item) {
  const where = item[side];
  if (!where) {
    return el("div", { class: `ccell ${side} empty`,
      "aria-label": side === "a" ? "nothing in A" : "nothing in B" });
  }
  const label = item.kind === "reworded" && item.shape !== "one" ? `${item.kind}, ${item.shape}`
    : item.kind;
  const cell = el("div", { class: `ccell ${side}` }, el("span", { class: "ckind", text: label }));
  const changed = item.changes.map((c) => c[side]).filter((r) => r.end > r.start);
  const shown = item.flags.map((f) => f[side]).filter(Boolean);
  cell.append(...markedPieces(side, where.start, where.end, changed, shown));
  return cell;
}

// Cut [start, end) at every span, change and evidence boundary; build one node per piece.
function markedPieces(side, start, end, changed, shown) {
  const spans = [];
  cmp.doc[side].spans.forEach((s, index) => {
    if (s.start < end && s.end > start) spans.push({ ...s, index });
  });
  const cuts = new Set([start, end]);
  for (const r of [...spans, ...changed, ...shown]) {
    cuts.add(Math.min(Math.max(r.start, start), end));
    cuts.add(Math.min(Math.max(r.end, start), end));
  }
  const points = [...cuts].sort((x, y) => x - y);
  const u = cmp.units[side];
  const text = cmp.doc[side].text;
  const nodes = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [lo, hi] = [points[i], points[i + 1]];
    let node = document.createTextNode(text.slice(u[lo], u[hi]));
    if (changed.some((r) => r.start <= lo && r.end >= hi)) {
      const wrap = el(side === "a" ? "del" : "ins", { class: "chg" });
      wrap.append(node);
      node = wrap;
    }
    if (shown.some((r) => r.start <= lo && r.end >= hi)) {
      const wrap = el("span", { class: "ev" });
      wrap.append(node);
      node = wrap;
    }
    const covering = spans.filter((s) => s.start <= lo && s.end >= hi);
    covering.sort((x, y) => (x.end - x.start) - (y.end - y.start) || y.score - x.score);
    if (covering.length) {
      const mark = el("mark", { class: "frag", tabindex: "0", "data-side": side,
        "data-spans": covering.map((s) => s.index).join(" "),
        "aria-label": `${text.slice(u[lo], u[hi])} (${covering.map((s) => labelOf(s.technique)).join(", ")})` });
      mark.style.setProperty("--c", colorOf(covering[0].technique));
      if (covering.length > 1) {
        mark.classList.add("multi");
        mark.style.setProperty("--c2", colorOf(covering[1].technique));
      }
      mark.append(node);
      node = mark;
    }
    nodes.push(node);
  }
  return nodes;
}

function flagDetail(flag) {
  if (flag.type === "balance_dropped") return ` (${flag.cue})`;
  if (flag.type.startsWith("loaded_terms") || flag.type.startsWith("technique_")) {
    return ` (${labelOf(flag.technique)})`;
  }
  if (flag.type === "source_vaguer") return ` (${flag.a_source_kind} → ${flag.b_source_kind})`;
  if (flag.type === "source_added") return ` (${flag.b_source_kind}, ${flag.b_stance})`;
  if (flag.type.startsWith("hedge") || flag.type === "speculation_added") return ` (${flag.kind})`;
  if (flag.type === "attribution_changed") {
    const parts = [];
    const changes = flag.changes || [];
    if (changes.includes("stance")) parts.push(`${flag.a_stance} → ${flag.b_stance}`);
    if (changes.includes("quote")) parts.push("quote → paraphrase");
    if (changes.includes("removed")) parts.push("source removed");
    return ` (${parts.join("; ")})`;
  }
  return "";
}

function evidence(flag) {
  const left = flag.a_text === null ? "nothing in A" : `A “${flag.a_text}”`;
  const right = flag.b_text === null ? "nothing in B" : `B “${flag.b_text}”`;
  return `${left} → ${right}`;
}

// -- technique tooltips, as on the analysis page -------------------------------------------------

function showCompareTip(mark) {
  const side = mark.dataset.side;
  const entries = mark.dataset.spans.split(" ").map(Number).map((i) => {
    const span = cmp.doc[side].spans[i];
    const t = state.techniques.get(span.technique);
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colorOf(span.technique);
    const score = span.score === null ? "" : `confidence ${span.score.toFixed(2)}`;
    return el("div", { class: "entry" },
      el("div", { class: "name" }, swatch, el("span", { text: `${labelOf(span.technique)} (${side.toUpperCase()})` }),
        el("span", { class: "score", text: score })),
      el("p", { text: t ? t.definition : "" }),
      el("p", { class: "quote", text: `“${span.text}”` }));
  });
  const tip = $("tip");
  tip.replaceChildren(...entries);
  tip.hidden = false;
  document.querySelectorAll("mark.frag.active").forEach((m) => m.classList.remove("active"));
  mark.classList.add("active");
  mark.setAttribute("aria-describedby", "tip");
  place(tip, mark);
}

function wireCompareTips() {
  wireMarkTips($("compare-grid"), showCompareTip, cmp);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") cmp.pinned = null;
  });
}

// -- start-up -------------------------------------------------------------------------------------

function chooseFile(side, file) {
  if (!/\.txt$/i.test(file.name)) {
    compareStatus(`${file.name}: only .txt files can be compared.`, true);
    return;
  }
  cmp.files[side] = file;
  file.text().then((text) => {
    if (cmp.files[side] === file) $(`text-${side}`).value = text;
  });
  compareStatus(`${side.toUpperCase()}: ${file.name}`);
}

function wireCompare() {
  $("mode-analyze").addEventListener("click", () => setMode("analyze"));
  $("mode-compare").addEventListener("click", () => setMode("compare"));
  $("compare-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runCompare();
  });
  for (const side of ["a", "b"]) {
    const area = $(`text-${side}`);
    area.addEventListener("input", () => { cmp.files[side] = null; });
    $(`file-${side}`).addEventListener("change", (e) => {
      const file = e.target.files[0];
      e.target.value = "";
      if (file) chooseFile(side, file);
    });
    area.addEventListener("dragover", (e) => {
      e.preventDefault();
      area.classList.add("dragging");
    });
    area.addEventListener("dragleave", () => area.classList.remove("dragging"));
    area.addEventListener("drop", (e) => {
      e.preventDefault();
      area.classList.remove("dragging");
      const file = e.dataTransfer.files[0];
      if (file) chooseFile(side, file);
    });
  }
  $("compare-download").addEventListener("click", () => {
    download("comparison.json", "application/json", JSON.stringify(cmp.doc, null, 2) + "\n");
  });
  wireCompareTips();
  setMode(location.hash === "#compare" ? "compare" : "analyze");
}

document.addEventListener("DOMContentLoaded", wireCompare);
