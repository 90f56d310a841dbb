// A jsdom window for the tests, with the globals the modules expect.
import { JSDOM } from "jsdom";

export function page(html, url = "https://news.example/story") {
  const dom = new JSDOM(`<!doctype html><html><head><title>Test page</title></head><body>${html}</body></html>`, { url });
  return dom.window.document;
}

/** The text of everything from the first to the last of `marks`, whitespace collapsed. */
export function coveredText(doc, marks) {
  const range = doc.createRange();
  range.setStartBefore(marks[0]);
  range.setEndAfter(marks[marks.length - 1]);
  return range.toString().replace(/\s+/g, " ");
}
