/**
 * The toolbar popup: analyses the current tab when it has no analysis yet, then shows the
 * summary (fragments per technique, sources and claims), the threshold slider, "clear",
 * and the link to the same analysis on the server's page. `popup.html?tab=ID` shows the
 * popup for another tab (tests open it in a tab of its own).
 */

const $ = (id) => document.getElementById(id);

async function ask(type, extra = {}) {
  const reply = await chrome.runtime.sendMessage({ type, tabId: state.tabId, ...extra });
  if (!reply || !reply.ok) throw new Error(reply ? reply.error : "the extension did not answer");
  return reply.value;
}

const state = { tabId: null };

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function render(summary) {
  $("result").hidden = !summary;
  $("clear").disabled = !summary;
  if (!summary) return;
  $("threshold").value = String(summary.threshold);
  $("threshold-value").textContent = summary.threshold.toFixed(2);
  $("count").textContent =
    `${summary.shown} fragment${summary.shown === 1 ? "" : "s"} at confidence ≥ ${summary.threshold.toFixed(2)}` +
    ` (${summary.characters.toLocaleString("en")} characters, ${(summary.elapsedMs / 1000).toFixed(1)} s)`;
  const list = $("techniques");
  list.replaceChildren();
  for (const t of summary.techniques) {
    const row = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.backgroundColor = t.color;
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = t.label;
    const count = document.createElement("span");
    count.className = "n";
    count.textContent = String(t.count);
    row.append(swatch, label, count);
    row.dataset.technique = t.name;
    list.append(row);
  }
  const s = summary.sources;
  $("sources").textContent = s.available
    ? `Sources and claims: ${s.attributions} attributed statement(s), ${s.claims} claim(s), ` +
      `${s.unsourced} without a source, ${s.hedges} hedge(s).`
    : s.note
      ? `Sources and claims: ${s.note}`
      : "";
  const link = $("link");
  if (summary.link) {
    link.href = summary.link;
    link.hidden = false;
    $("no-link").hidden = true;
  } else {
    link.hidden = true;
    $("no-link").hidden = false;
  }
}

async function analyze() {
  setStatus("Analysing…");
  $("analyze").disabled = true;
  try {
    const summary = await ask("popup:analyze");
    render(summary);
    setStatus("Done.");
  } catch (err) {
    render(null);
    setStatus(err.message, true);
  } finally {
    $("analyze").disabled = false;
  }
}

async function start() {
  const asked = new URLSearchParams(location.search).get("tab");
  if (asked !== null) state.tabId = Number(asked);
  else state.tabId = (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id ?? null;
  $("analyze").addEventListener("click", analyze);
  $("clear").addEventListener("click", async () => {
    try {
      await ask("popup:clear");
      render(null);
      setStatus("Highlights removed.");
    } catch (err) {
      setStatus(err.message, true);
    }
  });
  $("threshold").addEventListener("input", async (event) => {
    const threshold = Number(event.target.value);
    $("threshold-value").textContent = threshold.toFixed(2);
    try {
      render(await ask("popup:threshold", { threshold }));
    } catch (err) {
      setStatus(err.message, true);
    }
  });
  $("options").addEventListener("click", (event) => {
    event.preventDefault();
    chrome.runtime.openOptionsPage();
  });
  if (state.tabId === null) {
    setStatus("No tab to analyse.", true);
    return;
  }
  const known = await ask("popup:state");
  if (known && known.summary) {
    render(known.summary);
    setStatus("Done.");
  } else if (known && known.error) {
    render(null);
    setStatus(known.error, true);
  } else if (asked === null) {
    await analyze(); // the toolbar button was pressed: that is the request to analyse
  } else {
    render(null);
    setStatus("This tab has no analysis yet.");
  }
  document.body.dataset.ready = "true";
}

start();
