// proplens page, sources view: who says what, with which verb, and which claims stand
// on no source. app.js calls proplensSources.show(doc, units) after every analysis.
// As in app.js, article text reaches the page only through textContent and DOM nodes;
// `units` maps the API's code point offsets to JavaScript's UTF-16 offsets.
"use strict";

window.proplensSources = (() => {
  const KINDS = {
    named: "named source",
    role: "unnamed, identified by role",
    vague: "vague source",
    anonymous: "anonymous source",
  };
  const STANCES = {
    neutral: "neutral verb",
    endorsing: "endorsing verb: presents it as true",
    distancing: "distancing verb: casts doubt",
  };
  const $ = (id) => document.getElementById(id);

  function node(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function show(doc, units) {
    const section = $("sources");
    if (!section) return;
    const note = $("sources-note");
    if (!doc.attributions) {
      section.hidden = !doc.sources_note;
      note.hidden = !doc.sources_note;
      note.textContent = doc.sources_note || "";
      for (const id of ["sources-summary", "sources-list", "sources-text"]) $(id).replaceChildren();
      return;
    }
    section.hidden = false;
    note.hidden = true;
    const slice = (start, end) => doc.text.slice(units[start], units[end]);
    $("sources-summary").textContent = summary(doc);
    $("sources-list").replaceChildren(...doc.attributions.map((a, i) => sourceItem(a, i, slice)));
    $("sources-text").replaceChildren(...markedText(doc, units));
  }

  function summary(doc) {
    const kinds = new Map();
    for (const a of doc.attributions) if (a.source) kinds.set(a.source.kind, (kinds.get(a.source.kind) || 0) + 1);
    const byKind = Object.keys(KINDS).filter((k) => kinds.has(k)).map((k) => `${k} ${kinds.get(k)}`);
    const open = doc.claims.filter((c) => c.attribution === null).length;
    const hedges = doc.hedges.filter((h) => h.kind === "hedge").length;
    const sure = doc.hedges.length - hedges;
    return `${doc.attributions.length} source(s)${byKind.length ? ` (${byKind.join(", ")})` : ""}; ` +
      `${doc.claims.length} claim(s), ${open} with no source; ${hedges} hedge(s), ${sure} certainty marker(s)`;
  }

  function sourceItem(a, index, slice) {
    // A null source: the text names nobody ("is expected to").
    const kind = a.source ? a.source.kind : "none";
    const item = node("li", `source kind-${kind}`);
    item.dataset.kind = kind;
    item.dataset.stance = a.verb.stance;
    item.append(
      node("span", `badge k-${kind}`, a.source ? kind : "no source"),
      node("span", "who", a.source ? slice(a.source.start, a.source.end) : ""),
      " ",
      node("span", `verb s-${a.verb.stance}`, slice(a.verb.start, a.verb.end)),
      node("span", `badge stance-${a.verb.stance}`, a.verb.stance),
      node("span", "form", a.quote ? "quote" : "reported"),
      node("span", "content", `“${[a.content, ...(a.content_more || [])].map((c) => slice(c.start, c.end)).join(" … ")}”`),
    );
    item.title = `${index + 1}. ${a.source ? KINDS[kind] : "no source named"}; ${STANCES[a.verb.stance]}`;
    return item;
  }

  // The text cut at every boundary of a source, verb, unattributed claim or hedge;
  // each piece carries the classes of everything covering it.
  function markedText(doc, units) {
    const marks = [];
    for (const a of doc.attributions) {
      if (a.source) marks.push({ start: a.source.start, end: a.source.end, cls: `k-${a.source.kind}`, tip: KINDS[a.source.kind] });
      marks.push({ start: a.verb.start, end: a.verb.end, cls: `s-${a.verb.stance}`, tip: STANCES[a.verb.stance] });
    }
    for (const c of doc.claims) {
      if (c.attribution === null) {
        marks.push({ start: c.start, end: c.end, cls: "unattributed",
          tip: `claim with no source (check-worthiness ${c.check_worthy.toFixed(2)})` });
      }
    }
    for (const h of doc.hedges) marks.push({ start: h.start, end: h.end, cls: h.kind, tip: h.kind });
    const length = units.length - 1;
    const cuts = [...new Set([0, length, ...marks.flatMap((m) => [m.start, m.end])])].sort((x, y) => x - y);
    const nodes = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i], cuts[i + 1]];
      const part = doc.text.slice(units[a], units[b]);
      const covering = marks.filter((m) => m.start <= a && m.end >= b);
      if (!covering.length) {
        nodes.push(document.createTextNode(part));
        continue;
      }
      const span = node("span", [...new Set(covering.map((m) => m.cls))].join(" "), part);
      span.title = [...new Set(covering.map((m) => m.tip))].join("; ");
      nodes.push(span);
    }
    return nodes;
  }

  return { show };
})();
