/**
 * The article's text, and the map from offsets in that text back to the page's text nodes.
 *
 * The server answers with spans as offsets into the text we send, so the text must be
 * built from the live page's text nodes and nothing else: every character of it either
 * comes from one position of one text node, or is a separator we added (a space for a
 * collapsed run of whitespace, a blank line between blocks) that belongs to no node.
 * Whitespace inside a node is collapsed as a browser renders it; `raw` keeps where each
 * character came from, so a highlight lands on exactly the characters the server saw.
 */

/** Elements whose start or end is a paragraph break in the text we send. */
const BLOCKS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DETAILS", "DIV", "DL", "DT",
  "FIELDSET", "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6",
  "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P", "PRE", "SECTION", "SUMMARY", "TABLE",
  "TD", "TH", "TR", "UL",
]);
/** Elements whose text is never article text. */
const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "SELECT", "OPTION"]);
const SPACE = /[ \t\n\r\f\u00a0]/;

/**
 * Build the text of the text nodes under `roots` that `accept` keeps.
 *
 * @param {Node[]} roots elements to walk, in document order
 * @param {(text: Text) => boolean} accept whether a text node is article text
 * @returns {{text: string, pieces: {node: Text, start: number, end: number, raw: number[]}[]}}
 *   `pieces[i]` covers text[start, end) (UTF-16 offsets); raw[k] is the index in
 *   node.data of the piece's k-th character.
 */
export function buildTextMap(roots, accept = () => true) {
  let text = "";
  const pieces = [];
  let pendingBlock = false;
  let pendingSpace = false;

  function emit(node, normalized, raw) {
    if (text) {
      if (pendingBlock) text += "\n\n";
      else if (pendingSpace) text += " ";
    }
    pendingBlock = pendingSpace = false;
    pieces.push({ node, start: text.length, end: text.length + normalized.length, raw });
    text += normalized;
  }

  function visitText(node) {
    const data = node.data;
    let normalized = "";
    const raw = [];
    let inSpace = false;
    for (let i = 0; i < data.length; i++) {
      if (SPACE.test(data[i])) {
        inSpace = true;
        continue;
      }
      if (inSpace) {
        if (normalized) {
          normalized += " ";
          raw.push(i - 1);
        } else if (text) {
          pendingSpace = true; // a leading space: a separator only if text follows
        }
        inSpace = false;
      }
      normalized += data[i];
      raw.push(i);
    }
    if (normalized) emit(node, normalized, raw);
    if (inSpace && (normalized || text)) pendingSpace = true;
  }

  function walk(node) {
    if (node.nodeType === 3) {
      if (accept(node)) visitText(node);
      return;
    }
    if (node.nodeType !== 1 || SKIP.has(node.tagName)) return;
    const block = BLOCKS.has(node.tagName);
    if (block) pendingBlock = true;
    if (node.tagName === "BR") pendingBlock = true;
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child);
    if (block) pendingBlock = true;
  }

  for (const root of roots) {
    pendingBlock = true;
    walk(root);
  }
  return { text, pieces };
}

/**
 * A function from code-point offsets (what the Python server counts) to UTF-16 offsets
 * (what JavaScript strings count); they differ after any character outside the BMP.
 */
export function codePointToUtf16(text) {
  const starts = [];
  for (let i = 0; i < text.length; i++) {
    starts.push(i);
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) i++;
  }
  starts.push(text.length);
  return (offset) => {
    if (!Number.isInteger(offset) || offset < 0 || offset >= starts.length) {
      throw new RangeError(`offset ${offset} is outside the text (${starts.length - 1} characters)`);
    }
    return starts[offset];
  };
}

/**
 * The main text of `doc`, found as Firefox's reader view finds it (Readability), mapped
 * back to the live document's text nodes.
 *
 * Readability changes the document it reads, so it reads a clone; each clone element is
 * tagged with the index of its live twin, and a live text node is article text when its
 * parent element survived in Readability's result. When Readability finds no article,
 * the whole body is used (`source: "body"`).
 *
 * @param {Document} doc the live document (left untouched)
 * @param {typeof import("@mozilla/readability").Readability} Readability
 */
export function extractArticle(doc, Readability) {
  const live = Array.from(doc.getElementsByTagName("*"));
  const clone = doc.cloneNode(true);
  const twins = clone.getElementsByTagName("*");
  for (let i = 0; i < twins.length; i++) twins[i].setAttribute("data-proplens-i", String(i));
  let parsed = null;
  try {
    parsed = new Readability(clone, { serializer: (el) => el }).parse();
  } catch {
    parsed = null;
  }
  const kept = new Set();
  if (parsed && parsed.content) {
    for (const el of parsed.content.querySelectorAll("[data-proplens-i]")) {
      kept.add(live[Number(el.getAttribute("data-proplens-i"))]);
    }
  }
  kept.delete(undefined);
  const shown = visibility();
  if (kept.size) {
    const roots = [...kept].filter((el) => !hasKeptAncestor(el, kept)).sort(inDocumentOrder);
    const map = buildTextMap(roots, (node) => kept.has(node.parentElement) && shown(node));
    if (map.text.trim()) {
      return { title: (parsed.title || doc.title || "").trim(), source: "readability", ...map };
    }
  }
  const map = buildTextMap(doc.body ? [doc.body] : [], shown);
  return { title: (doc.title || "").trim(), source: "body", ...map };
}

function hasKeptAncestor(el, kept) {
  for (let up = el.parentElement; up; up = up.parentElement) if (kept.has(up)) return true;
  return false;
}

function inDocumentOrder(a, b) {
  return a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1;
}

/**
 * Whether a text node is rendered (not inside display: none or visibility: hidden), per
 * element, cached. Readability reads a detached clone, which has no styles, so text the
 * page hides with its CSS (a collapsed menu inside the article) is left out here.
 * Where `checkVisibility` is missing (old browsers, jsdom) every node counts as shown.
 */
function visibility() {
  const cache = new Map();
  return (node) => {
    const el = node.parentElement;
    if (!el || typeof el.checkVisibility !== "function") return true;
    if (!cache.has(el)) cache.set(el, el.checkVisibility({ visibilityProperty: true }));
    return cache.get(el);
  };
}
