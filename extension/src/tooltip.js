/**
 * One tooltip for all highlights: technique, score and explanation of every span over
 * the highlight under the pointer or the keyboard focus. Shown on hover, focus and
 * click; Escape hides it. Built with textContent only: nothing from the server or the
 * page is ever parsed as HTML.
 */

import { MARK_CLASS } from "./highlight.js";

export const TIP_ID = "proplens-tip";

/**
 * Attach tooltip behaviour to `marks`; returns a function that removes the tooltip and
 * every listener it added.
 *
 * @param {HTMLElement[]} marks
 * @param {{index: number, technique: string, score: number}[]} spans by index
 * @param {(technique: string) => {label: string, definition: string}} describe
 */
export function attachTooltip(doc, marks, spans, describe) {
  const tip = doc.createElement("div");
  tip.id = TIP_ID;
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  doc.body.append(tip);
  let current = null;

  function show(mark) {
    current = mark;
    tip.replaceChildren();
    const ids = mark.dataset.proplensSpans.split(" ").map(Number);
    for (const id of ids) {
      const span = spans[id];
      const about = describe(span.technique);
      const row = doc.createElement("div");
      row.className = "proplens-tip-row";
      const head = doc.createElement("div");
      head.className = "proplens-tip-head";
      const name = doc.createElement("strong");
      name.textContent = about.label;
      const score = doc.createElement("span");
      score.className = "proplens-tip-score";
      score.textContent = `score ${span.score.toFixed(2)}`;
      head.append(name, " ", score);
      const text = doc.createElement("div");
      text.className = "proplens-tip-def";
      text.textContent = about.definition;
      row.append(head, text);
      tip.append(row);
    }
    tip.hidden = false;
    mark.setAttribute("aria-describedby", TIP_ID);
    placeTip(tip, mark.getBoundingClientRect());
  }

  function hide() {
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    tip.hidden = true;
  }

  const onEnter = (event) => show(event.currentTarget);
  const onLeave = (event) => {
    if (event.currentTarget !== doc.activeElement) hide();
  };
  const onKey = (event) => {
    if (event.key === "Escape") hide();
  };
  for (const mark of marks) {
    mark.addEventListener("mouseenter", onEnter);
    mark.addEventListener("focus", onEnter);
    mark.addEventListener("click", onEnter);
    mark.addEventListener("mouseleave", onLeave);
    mark.addEventListener("blur", hide);
  }
  doc.addEventListener("keydown", onKey);

  return function detach() {
    for (const mark of marks) {
      mark.removeEventListener("mouseenter", onEnter);
      mark.removeEventListener("focus", onEnter);
      mark.removeEventListener("click", onEnter);
      mark.removeEventListener("mouseleave", onLeave);
      mark.removeEventListener("blur", hide);
      mark.removeAttribute("aria-describedby");
    }
    doc.removeEventListener("keydown", onKey);
    tip.remove();
  };
}

/**
 * Put the shown `tip` 6 px below `box` (a mark's viewport rectangle), left edges aligned
 * but at least 4 px inside the page.
 *
 * The tip is `position: absolute` in `body`, so `left`/`top` count from its containing
 * block: the document when nothing above it is positioned, but `body` itself on pages
 * that make it `position: relative` (with a margin, a border or a centred width, the
 * origin is not the document's). Adding the scroll offsets assumed the document and put
 * the tip that far off on such pages. So the origin is measured instead: the tip is put
 * at 0,0, where that lands on screen is read, and the difference is what to set.
 */
export function placeTip(tip, box) {
  tip.style.left = "0px";
  tip.style.top = "0px";
  const origin = tip.getBoundingClientRect();
  const win = tip.ownerDocument.defaultView;
  const left = Math.max(4 - win.scrollX, box.left);
  tip.style.left = `${left - origin.left}px`;
  tip.style.top = `${box.bottom + 6 - origin.top}px`;
}

export { MARK_CLASS };
