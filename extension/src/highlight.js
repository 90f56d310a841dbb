/**
 * Highlight spans of the article text in place, and take the highlights away again.
 *
 * Spans may overlap or nest, and a span may cross element boundaries (a link inside a
 * sentence). No maintained library handles both: mark.js, the usual choice, has had no
 * release since 2018 and skips overlapping ranges. So this module cuts the text at every
 * span boundary, as the server's web page does: each piece of a text node gets one
 * <mark> carrying every span over it, coloured by the innermost span (then the most
 * confident) with the others as stripes underneath. Marks never nest and never cross an
 * element, so the page's own elements are never split or moved.
 *
 * Clearing puts every original text node back, the same node object with the same data,
 * so the page's DOM is exactly what it was (scripts holding references still work).
 */

export const MARK_CLASS = "proplens-frag";

/**
 * @param {{pieces: {node: Text, start: number, end: number, raw: number[]}[]}} map from buildTextMap
 * @param {{start: number, end: number, technique: string, score: number, index: number}[]} spans
 *   UTF-16 offsets into the mapped text; `index` is the span's position in the server's answer
 * @param {(technique: string) => {label: string, color: string}} style
 * @returns {{marks: HTMLElement[], clear: () => void}}
 */
export function highlightSpans(map, spans, style) {
  const cuts = new Set();
  for (const s of spans) {
    if (s.end > s.start) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
  }
  const sortedCuts = [...cuts].sort((a, b) => a - b);
  const restore = [];
  const marks = [];

  for (const piece of map.pieces) {
    const local = pieceSegments(piece, sortedCuts, spans);
    if (!local.length) continue;
    const { node, raw } = piece;
    const doc = node.ownerDocument;
    const data = node.data;
    const parts = [];
    let pos = 0;
    for (const seg of local) {
      const rawStart = raw[seg.a - piece.start];
      const rawEnd = raw[seg.b - piece.start - 1] + 1;
      if (rawStart > pos) parts.push(doc.createTextNode(data.slice(pos, rawStart)));
      const mark = makeMark(doc, data.slice(rawStart, rawEnd), seg.covering, style);
      parts.push(mark);
      marks.push(mark);
      pos = rawEnd;
    }
    if (pos < data.length) parts.push(doc.createTextNode(data.slice(pos)));
    node.replaceWith(...parts);
    restore.push({ node, parts });
  }

  function clear() {
    for (const { node, parts } of restore.splice(0).reverse()) {
      parts[0].before(node);
      for (const part of parts) part.remove();
    }
    marks.length = 0;
  }
  return { marks, clear };
}

/** The segments of `piece` covered by at least one span, cut at every span boundary. */
function pieceSegments(piece, sortedCuts, spans) {
  const points = [piece.start];
  for (const c of sortedCuts) if (c > piece.start && c < piece.end) points.push(c);
  points.push(piece.end);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const covering = spans.filter((s) => s.start <= a && s.end >= b && s.end > s.start);
    if (covering.length) out.push({ a, b, covering: innermostFirst(covering) });
  }
  return out;
}

/** Innermost (shortest) span first, then the most confident, then the server's order. */
export function innermostFirst(spans) {
  return [...spans].sort(
    (x, y) => x.end - x.start - (y.end - y.start) || y.score - x.score || x.index - y.index,
  );
}

function makeMark(doc, text, covering, style) {
  const mark = doc.createElement("mark");
  const top = covering[0];
  mark.className = covering.length > 1 ? `${MARK_CLASS} proplens-multi` : MARK_CLASS;
  mark.textContent = text;
  mark.tabIndex = 0;
  mark.dataset.proplensTechnique = top.technique;
  mark.dataset.proplensScore = top.score.toFixed(2);
  mark.dataset.proplensSpans = covering.map((s) => s.index).join(" ");
  mark.dataset.proplensTechniques = covering.map((s) => s.technique).join("|");
  // inline and !important: the page's own CSS for <mark> must not hide our colours
  mark.style.setProperty("background-color", style(top.technique).color, "important");
  mark.style.setProperty("color", "#111", "important");
  const stripes = covering
    .slice(1)
    .map((s, i) => `inset 0 -${3 * (i + 1)}px 0 ${style(s.technique).color}`);
  mark.style.setProperty("box-shadow", stripes.length ? stripes.join(", ") : "none", "important");
  mark.setAttribute("aria-label", `${covering.map((s) => style(s.technique).label).join(", ")}: ${text}`);
  return mark;
}
