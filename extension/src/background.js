/**
 * The service worker (a background script in Firefox): runs an analysis when the user
 * asks (toolbar popup, keyboard shortcut, context menu), keeps each tab's summary for the
 * popup, and exposes the same operations for automation as `globalThis.proplens`.
 *
 * The page's text goes to the configured server and nowhere else; nothing is sent
 * until the user asks for an analysis.
 */

import { client, DEFAULT_SERVER, FLOOR_THRESHOLD } from "./api.js";
import { buildSummary, withThreshold } from "./summary.js";

const MENU_ID = "proplens-analyze";
const techniqueCache = new Map(); // server -> the server's technique list

async function settings() {
  const stored = await chrome.storage.local.get({ server: DEFAULT_SERVER, apiKey: "" });
  return { server: stored.server, apiKey: stored.apiKey, origin: chrome.runtime.getURL("").replace(/\/$/, "") };
}

const key = (tabId) => `tab:${tabId}`;

async function tabState(tabId) {
  const found = await chrome.storage.session.get(key(tabId));
  return found[key(tabId)] || null;
}

async function setTabState(tabId, value) {
  if (value) await chrome.storage.session.set({ [key(tabId)]: value });
  else await chrome.storage.session.remove(key(tabId));
}

/** A message to the tab's content script; its errors become Errors here. */
async function tell(tabId, message) {
  const reply = await chrome.tabs.sendMessage(tabId, message);
  if (!reply) throw new Error("the page did not answer (reload it and try again)");
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

async function techniquesOf(api) {
  if (!techniqueCache.has(api.base)) techniqueCache.set(api.base, await api.techniques());
  return techniqueCache.get(api.base);
}

function checkTabId(tabId) {
  if (!Number.isInteger(tabId) || tabId < 0) throw new Error(`not a tab id: ${tabId}`);
}

/**
 * Analyse the article in tab `tabId` and highlight it. Resolves to the summary; rejects
 * with an Error whose message says what went wrong, in words for a person.
 */
async function analyzeTab(tabId) {
  checkTabId(tabId);
  const started = performance.now();
  try {
    await removeHighlights(tabId); // a failed analysis must not leave the last one's behind
    const api = client(await settings());
    const health = await api.health();
    const target = { tabId };
    await chrome.scripting.insertCSS({ target, files: ["content.css"] });
    await chrome.scripting.executeScript({ target, files: ["content.js"] });
    const page = await tell(tabId, { type: "proplens:extract" });
    if (!page.text.trim()) throw new Error("found no article text on this page");
    const [answer, techniques] = await Promise.all([
      api.analyze({
        text: page.text,
        title: page.title,
        threshold: Math.min(FLOOR_THRESHOLD, health.threshold),
      }),
      techniquesOf(api),
    ]);
    const threshold = health.threshold;
    await tell(tabId, { type: "proplens:show", answer, techniques, threshold });
    const summary = buildSummary({
      server: api.base,
      page,
      answer,
      techniques,
      threshold,
      defaultThreshold: health.threshold,
      elapsedMs: Math.round(performance.now() - started),
    });
    await setTabState(tabId, { summary, techniques });
    await badge(tabId, String(summary.shown));
    return summary;
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    await setTabState(tabId, { error: message });
    await badge(tabId, "!");
    throw new Error(message);
  }
}

/** Show only the fragments scoring at least `threshold`; resolves to the new summary. */
async function setThreshold(tabId, threshold) {
  checkTabId(tabId);
  if (typeof threshold !== "number" || !(threshold >= 0 && threshold <= 1)) {
    throw new Error(`the threshold must be a number in [0, 1], not ${threshold}`);
  }
  const state = await tabState(tabId);
  if (!state || !state.summary) throw new Error("this tab has no analysis yet");
  await tell(tabId, { type: "proplens:threshold", threshold });
  const summary = withThreshold(state.summary, state.techniques, threshold);
  await setTabState(tabId, { ...state, summary });
  await badge(tabId, String(summary.shown));
  return summary;
}

/** Remove every highlight from tab `tabId`, restoring its DOM; resolves to {cleared}. */
async function clearTab(tabId) {
  checkTabId(tabId);
  const cleared = await removeHighlights(tabId);
  await setTabState(tabId, null);
  await badge(tabId, "");
  return { cleared };
}

/** Whether highlights were removed; a tab the content script never ran in has none. */
async function removeHighlights(tabId) {
  let cleared = false;
  try {
    cleared = (await tell(tabId, { type: "proplens:clear" })).cleared;
  } catch {
    return false; // no content script in this tab (never analysed, or navigated since)
  }
  await chrome.scripting.removeCSS({ target: { tabId }, files: ["content.css"] }).catch(() => {});
  return cleared;
}

async function badge(tabId, text) {
  try {
    await chrome.action.setBadgeText({ tabId, text });
  } catch {
    // the tab is gone: nothing to show
  }
}

async function analyzeActiveTab(tab) {
  const id = tab && Number.isInteger(tab.id) ? tab.id : (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (id === undefined) return;
  try {
    await analyzeTab(id);
  } catch {
    // the error is in the tab's state: the popup shows it, the badge says "!"
  }
}

globalThis.proplens = { analyzeTab, clearTab, setThreshold };

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({
    id: MENU_ID,
    title: "Analyse this article with proplens",
    contexts: ["page", "selection"],
  });
});

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID) analyzeActiveTab(tab);
});

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "analyze-page") analyzeActiveTab(tab);
});

chrome.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status === "loading") setTabState(tabId, null);
});
chrome.tabs.onRemoved.addListener((tabId) => setTabState(tabId, null));

/** The popup's requests: {type: "popup:<what>", tabId, ...}. */
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !message || typeof message.type !== "string") return false;
  const run = {
    "popup:state": () => tabState(message.tabId),
    "popup:analyze": () => analyzeTab(message.tabId),
    "popup:threshold": () => setThreshold(message.tabId, message.threshold),
    "popup:clear": () => clearTab(message.tabId),
    "popup:settings-changed": async () => techniqueCache.clear(),
  }[message.type];
  if (!run) return false;
  run().then(
    (value) => sendResponse({ ok: true, value }),
    (err) => sendResponse({ ok: false, error: err && err.message ? err.message : String(err) }),
  );
  return true;
});
