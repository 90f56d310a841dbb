// proplens page: analyse a web page by its address. The server fetches the page, extracts
// its main text and answers as for pasted text, with the address as `url`. Uses app.js's
// api(), runAnalysis() and setStatus(); app.js announces every shown analysis with the
// "proplens:shown" event, so a stored analysis of a page shows its address too.
"use strict";

function analyzeUrl(address) {
  const url = address.trim();
  if (!/^https?:\/\/\S+$/i.test(url)) {
    setStatus("Give a web address starting with http:// or https://.", true);
    return;
  }
  setStatus("Fetching the page…");
  return runAnalysis(() => api("/v1/analyze", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url, threshold: requestFloor() }),
  }));
}

function showSource(doc) {
  const source = document.getElementById("source");
  const link = document.getElementById("source-link");
  const isWeb = typeof doc.url === "string" && /^https?:\/\//i.test(doc.url);
  source.hidden = !isWeb;
  if (!isWeb) return;
  link.href = doc.url; // a checked http(s) address, never a javascript: one
  link.textContent = doc.url;
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("url-form").addEventListener("submit", (e) => {
    e.preventDefault();
    analyzeUrl(document.getElementById("url").value);
  });
  document.addEventListener("proplens:shown", (e) => showSource(e.detail));
});
