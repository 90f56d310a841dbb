/**
 * The options page: the server's address and API key, and "test connection", which says
 * in one line what is wrong (not running, with the command to start it; wrong key; too
 * old). A server that is not on this machine needs the user's permission for its
 * address, asked for here (an optional host permission).
 */

import { client, DEFAULT_SERVER, isLoopback, normalizeServer, startCommand } from "./api.js";

const $ = (id) => document.getElementById(id);
const origin = chrome.runtime.getURL("").replace(/\/$/, "");

function setResult(text, isError) {
  $("result").textContent = text;
  $("result").classList.toggle("error", isError);
}

async function load() {
  const stored = await chrome.storage.local.get({ server: DEFAULT_SERVER, apiKey: "" });
  $("server").value = stored.server;
  $("api-key").value = stored.apiKey;
  $("origin").textContent = origin;
  $("command").textContent = startCommand(origin);
  document.body.dataset.ready = "true";
}

/** Check and save the form; resolves to the settings, or throws with a message. */
async function save() {
  const server = normalizeServer($("server").value);
  const apiKey = $("api-key").value.trim();
  if (!isLoopback(server)) {
    const granted = await chrome.permissions.request({ origins: [`${server}/*`] });
    if (!granted) throw new Error(`without permission to reach ${server}, the extension cannot use it`);
  }
  await chrome.storage.local.set({ server, apiKey });
  $("server").value = server;
  await chrome.runtime.sendMessage({ type: "popup:settings-changed" }).catch(() => {});
  return { server, apiKey, origin };
}

$("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await save();
    setResult("Saved.", false);
  } catch (err) {
    setResult(err.message, true);
  }
});

$("test").addEventListener("click", async () => {
  setResult("Testing…", false);
  try {
    const found = await client(await save()).testConnection();
    setResult(found.message, false);
  } catch (err) {
    setResult(err.message, true);
  }
});

load();
