/**
 * The summary of one analysis, as the popup shows it and `proplens.analyzeTab` returns it.
 * Pure functions of the server's answer, so the popup and the tests agree.
 */

/** Fragments per technique at `threshold`, in the order of the server's technique list. */
export function countByTechnique(spans, techniques, threshold) {
  const counts = new Map();
  for (const s of spans) if (s.score >= threshold) counts.set(s.technique, (counts.get(s.technique) || 0) + 1);
  const known = techniques.filter((t) => counts.has(t.name));
  const rows = known.map((t) => ({ name: t.name, label: t.label, color: t.color, count: counts.get(t.name) }));
  for (const [name, count] of counts) {
    if (!techniques.some((t) => t.name === name)) rows.push({ name, label: name, color: "#ffd54f", count });
  }
  return rows;
}

/** Sources, claims and hedges in numbers, or the server's note saying why there are none. */
export function sourcesSummary(answer) {
  if (!Array.isArray(answer.claims) && !Array.isArray(answer.attributions)) {
    return { available: false, note: answer.sources_note || "" };
  }
  const claims = answer.claims || [];
  return {
    available: true,
    attributions: (answer.attributions || []).length,
    claims: claims.length,
    unsourced: claims.filter((c) => c.attribution === null || c.attribution === undefined).length,
    hedges: (answer.hedges || []).length,
  };
}

/** The server page's address of a stored analysis (`/a/<id>?t=<threshold>`), or null. */
export function analysisLink(server, analysisId, threshold) {
  if (!analysisId) return null;
  return `${server}/a/${encodeURIComponent(analysisId)}?t=${threshold}`;
}

export function buildSummary({ server, page, answer, techniques, threshold, defaultThreshold, elapsedMs }) {
  const spans = answer.spans.map((s) => ({ technique: s.technique, score: s.score }));
  return {
    server,
    url: page.url,
    title: answer.title || page.title,
    characters: [...answer.text].length,
    extraction: page.source,
    model: answer.model || null,
    threshold,
    defaultThreshold,
    spans,
    shown: spans.filter((s) => s.score >= threshold).length,
    techniques: countByTechnique(spans, techniques, threshold),
    sources: sourcesSummary(answer),
    analysisId: answer.analysis_id || null,
    link: analysisLink(server, answer.analysis_id, threshold),
    elapsedMs,
  };
}

/** The same summary at another threshold (the slider). */
export function withThreshold(summary, techniques, threshold) {
  return {
    ...summary,
    threshold,
    shown: summary.spans.filter((s) => s.score >= threshold).length,
    techniques: countByTechnique(summary.spans, techniques, threshold),
    link: analysisLink(summary.server, summary.analysisId, threshold),
  };
}
