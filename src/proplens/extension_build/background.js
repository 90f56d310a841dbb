(() => {
  // src/api.js
  var DEFAULT_SERVER = "http://127.0.0.1:8000";
  var FLOOR_THRESHOLD = 0.05;
  var HEALTH_TIMEOUT_MS = 5e3;
  var ANALYZE_TIMEOUT_MS = 12e4;
  var ServerError = class extends Error {
    constructor(kind, message) {
      super(message);
      this.name = "ServerError";
      this.kind = kind;
    }
  };
  function normalizeServer(address) {
    const typed = String(address ?? "").trim() || DEFAULT_SERVER;
    let url;
    try {
      url = new URL(typed);
    } catch {
      throw new ServerError("bad_address", `"${typed}" is not an address; give one like ${DEFAULT_SERVER}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new ServerError("bad_address", `the server address must start with http:// or https:// (got "${typed}")`);
    }
    if (url.search || url.hash || url.username || url.password) {
      throw new ServerError("bad_address", `give the server address without a query, fragment or user name (got "${typed}")`);
    }
    return (url.origin + url.pathname).replace(/\/+$/, "");
  }
  function startCommand(origin) {
    return origin ? `proplens serve --trust-origin ${origin}` : "proplens serve";
  }
  function client({ server, apiKey, origin }, fetchImpl = globalThis.fetch) {
    const base = normalizeServer(server);
    async function request(path, { method = "GET", body, timeout = HEALTH_TIMEOUT_MS } = {}) {
      const headers = { Accept: "application/json" };
      if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
      if (body !== void 0) headers["Content-Type"] = "application/json";
      let answer;
      try {
        answer = await fetchImpl(`${base}${path}`, {
          method,
          headers,
          body: body === void 0 ? void 0 : JSON.stringify(body),
          signal: AbortSignal.timeout(timeout),
          credentials: "omit",
          cache: "no-store"
        });
      } catch (err) {
        if (err && (err.name === "TimeoutError" || err.name === "AbortError")) {
          throw new ServerError("timeout", `the proplens server at ${base} did not answer within ${timeout / 1e3} s`);
        }
        throw new ServerError(
          "not_running",
          `no proplens server answers at ${base}. Start it with: ${startCommand(origin)}`
        );
      }
      let payload = null;
      try {
        payload = await answer.json();
      } catch {
        payload = null;
      }
      return { status: answer.status, ok: answer.ok, payload };
    }
    function failure(path, { status, payload }) {
      const said = payload && typeof payload.message === "string" ? payload.message : "";
      if (status === 401) {
        return new ServerError(
          "unauthorized",
          apiKey ? `the server at ${base} refused the API key (401): check the key in the extension's options` : `the server at ${base} needs an API key (401): set it in the extension's options`
        );
      }
      if (status === 403) {
        return new ServerError(
          "forbidden",
          `the server at ${base} refused this extension (403${said ? `: ${said}` : ""}). Start it with: ${startCommand(origin)}`
        );
      }
      if (status === 404 && !(payload && payload.error)) {
        return new ServerError(
          "too_old",
          `the server at ${base} has no ${path}: it is too old for this extension, or not proplens (upgrade it: pip install -U 'proplens[serve]')`
        );
      }
      if (status === 413) {
        return new ServerError("too_large", `the article is too large for the server at ${base} (413): ${said}`);
      }
      return new ServerError(
        payload && payload.error || "http_error",
        `the server at ${base} answered ${status}${said ? `: ${said}` : ""}`
      );
    }
    async function health() {
      const answer = await request("/healthz");
      if (!answer.ok) throw failure("/healthz", answer);
      const h = answer.payload;
      if (!h || h.status !== "ok") {
        throw new ServerError("not_proplens", `${base} answers, but not as a proplens server (no status in /healthz)`);
      }
      if (typeof h.version !== "string" || typeof h.threshold !== "number") {
        throw new ServerError(
          "too_old",
          `the server at ${base} is too old for this extension (its /healthz gives no version): upgrade it: pip install -U 'proplens[serve]'`
        );
      }
      return h;
    }
    async function techniques() {
      const answer = await request("/v1/techniques");
      if (!answer.ok) throw failure("/v1/techniques", answer);
      return answer.payload.techniques;
    }
    async function analyze({ text, title, threshold }) {
      const body = { text, threshold };
      if (title) body.title = title;
      const answer = await request("/v1/analyze", { method: "POST", body, timeout: ANALYZE_TIMEOUT_MS });
      if (!answer.ok) throw failure("/v1/analyze", answer);
      return answer.payload;
    }
    async function testConnection() {
      const h = await health();
      await techniques();
      if (h.auth) {
        const answer = await request("/v1/analyses?limit=1");
        if (answer.status === 401 || answer.status === 403) throw failure("/v1/analyses", answer);
      }
      const parts = [`proplens ${h.version} at ${base}`];
      parts.push(h.auth ? "API key accepted" : "no API key needed");
      parts.push(h.store ? "analyses are stored (links work)" : "analyses are not stored (no links)");
      return { ...h, server: base, message: `Connected: ${parts.join(", ")}.` };
    }
    return { base, health, techniques, analyze, testConnection };
  }

  // src/summary.js
  function countByTechnique(spans, techniques, threshold) {
    const counts = /* @__PURE__ */ new Map();
    for (const s of spans) if (s.score >= threshold) counts.set(s.technique, (counts.get(s.technique) || 0) + 1);
    const known = techniques.filter((t) => counts.has(t.name));
    const rows = known.map((t) => ({ name: t.name, label: t.label, color: t.color, count: counts.get(t.name) }));
    for (const [name, count] of counts) {
      if (!techniques.some((t) => t.name === name)) rows.push({ name, label: name, color: "#ffd54f", count });
    }
    return rows;
  }
  function sourcesSummary(answer) {
    if (!Array.isArray(answer.claims) && !Array.isArray(answer.attributions)) {
      return { available: false, note: answer.sources_note || "" };
    }
    const claims = answer.claims || [];
    return {
      available: true,
      attributions: (answer.attributions || []).length,
      claims: claims.length,
      unsourced: claims.filter((c) => c.attribution === null || c.attribution === void 0).length,
      hedges: (answer.hedges || []).length
    };
  }
  function analysisLink(server, analysisId, threshold) {
    if (!analysisId) return null;
    return `${server}/a/${encodeURIComponent(analysisId)}?t=${threshold}`;
  }
  function buildSummary({ server, page, answer, techniques, threshold, defaultThreshold, elapsedMs }) {
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
      elapsedMs
    };
  }
  function withThreshold(summary, techniques, threshold) {
    return {
      ...summary,
      threshold,
      shown: summary.spans.filter((s) => s.score >= threshold).length,
      techniques: countByTechnique(summary.spans, techniques, threshold),
      link: analysisLink(summary.server, summary.analysisId, threshold)
    };
  }

  // src/background.js
  var MENU_ID = "proplens-analyze";
  var techniqueCache = /* @__PURE__ */ new Map();
  async function settings() {
    const stored = await chrome.storage.local.get({ server: DEFAULT_SERVER, apiKey: "" });
    return { server: stored.server, apiKey: stored.apiKey, origin: chrome.runtime.getURL("").replace(/\/$/, "") };
  }
  var key = (tabId) => `tab:${tabId}`;
  async function tabState(tabId) {
    const found = await chrome.storage.session.get(key(tabId));
    return found[key(tabId)] || null;
  }
  async function setTabState(tabId, value) {
    if (value) await chrome.storage.session.set({ [key(tabId)]: value });
    else await chrome.storage.session.remove(key(tabId));
  }
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
  async function analyzeTab(tabId) {
    checkTabId(tabId);
    const started = performance.now();
    try {
      await removeHighlights(tabId);
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
          threshold: Math.min(FLOOR_THRESHOLD, health.threshold)
        }),
        techniquesOf(api)
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
        elapsedMs: Math.round(performance.now() - started)
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
  async function clearTab(tabId) {
    checkTabId(tabId);
    const cleared = await removeHighlights(tabId);
    await setTabState(tabId, null);
    await badge(tabId, "");
    return { cleared };
  }
  async function removeHighlights(tabId) {
    let cleared = false;
    try {
      cleared = (await tell(tabId, { type: "proplens:clear" })).cleared;
    } catch {
      return false;
    }
    await chrome.scripting.removeCSS({ target: { tabId }, files: ["content.css"] }).catch(() => {
    });
    return cleared;
  }
  async function badge(tabId, text) {
    try {
      await chrome.action.setBadgeText({ tabId, text });
    } catch {
    }
  }
  async function analyzeActiveTab(tab) {
    const id = tab && Number.isInteger(tab.id) ? tab.id : (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (id === void 0) return;
    try {
      await analyzeTab(id);
    } catch {
    }
  }
  globalThis.proplens = { analyzeTab, clearTab, setThreshold };
  chrome.runtime.onInstalled.addListener(() => {
    chrome.contextMenus.create({
      id: MENU_ID,
      title: "Analyse this article with proplens",
      contexts: ["page", "selection"]
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
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !message || typeof message.type !== "string") return false;
    const run = {
      "popup:state": () => tabState(message.tabId),
      "popup:analyze": () => analyzeTab(message.tabId),
      "popup:threshold": () => setThreshold(message.tabId, message.threshold),
      "popup:clear": () => clearTab(message.tabId),
      "popup:settings-changed": async () => techniqueCache.clear()
    }[message.type];
    if (!run) return false;
    run().then(
      (value) => sendResponse({ ok: true, value }),
      (err) => sendResponse({ ok: false, error: err && err.message ? err.message : String(err) })
    );
    return true;
  });
})();
