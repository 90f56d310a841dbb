/**
 * Talking to the user's own `proplens serve`: settings, requests, and the one-line
 * messages a person sees when something is wrong (server not running, wrong key,
 * server too old, origin not trusted). Shared by the service worker and the options page.
 */

export const DEFAULT_SERVER = "http://127.0.0.1:8000";
/** The lowest threshold asked of the server: the slider then filters without a new request. */
export const FLOOR_THRESHOLD = 0.05;
const HEALTH_TIMEOUT_MS = 5000;
const ANALYZE_TIMEOUT_MS = 120000;

export class ServerError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = "ServerError";
    this.kind = kind;
  }
}

/** The server address as typed, checked and without a trailing slash. */
export function normalizeServer(address) {
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

/** Whether the server is on this machine (covered by the extension's fixed host permission). */
export function isLoopback(server) {
  const host = new URL(server).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The command that starts a server this extension may call. */
export function startCommand(origin) {
  return origin ? `proplens serve --trust-origin ${origin}` : "proplens serve";
}

/**
 * A client for one server. `origin` is this extension's origin (for the messages);
 * `fetchImpl` is replaceable for tests.
 */
export function client({ server, apiKey, origin }, fetchImpl = globalThis.fetch) {
  const base = normalizeServer(server);

  async function request(path, { method = "GET", body, timeout = HEALTH_TIMEOUT_MS } = {}) {
    const headers = { Accept: "application/json" };
    if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let answer;
    try {
      answer = await fetchImpl(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (err) {
      if (err && (err.name === "TimeoutError" || err.name === "AbortError")) {
        throw new ServerError("timeout", `the proplens server at ${base} did not answer within ${timeout / 1000} s`);
      }
      throw new ServerError(
        "not_running",
        `no proplens server answers at ${base}. Start it with: ${startCommand(origin)}`,
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
        apiKey
          ? `the server at ${base} refused the API key (401): check the key in the extension's options`
          : `the server at ${base} needs an API key (401): set it in the extension's options`,
      );
    }
    if (status === 403) {
      return new ServerError(
        "forbidden",
        `the server at ${base} refused this extension (403${said ? `: ${said}` : ""}). ` +
          `Start it with: ${startCommand(origin)}`,
      );
    }
    if (status === 404 && !(payload && payload.error)) {
      return new ServerError(
        "too_old",
        `the server at ${base} has no ${path}: it is too old for this extension, or not proplens ` +
          `(upgrade it: pip install -U 'proplens[serve]')`,
      );
    }
    if (status === 413) {
      return new ServerError("too_large", `the article is too large for the server at ${base} (413): ${said}`);
    }
    return new ServerError(
      (payload && payload.error) || "http_error",
      `the server at ${base} answered ${status}${said ? `: ${said}` : ""}`,
    );
  }

  /** /healthz, checked to be a proplens server recent enough for this extension. */
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
        `the server at ${base} is too old for this extension (its /healthz gives no version): ` +
          `upgrade it: pip install -U 'proplens[serve]'`,
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

  /**
   * What the options page's "test connection" checks: the server runs, is proplens and
   * recent enough, and takes our key (a read of the stored analyses: 401 on a wrong key,
   * 404 on a server without a store, either way before any article is sent).
   */
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
