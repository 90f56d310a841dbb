import { test } from "node:test";
import assert from "node:assert/strict";
import { client, isLoopback, normalizeServer } from "../src/api.js";

const ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";
const HEALTH = { status: "ok", version: "0.1.0", threshold: 0.5, store: true, auth: false };

/** A fetch that answers from `routes` (path -> [status, body]) and records the requests. */
function fakeFetch(routes) {
  const seen = [];
  const fetch = async (url, init) => {
    const path = new URL(url).pathname + new URL(url).search;
    seen.push({ path, init });
    const found = routes[path] ?? routes[new URL(url).pathname];
    if (found instanceof Error) throw found;
    const [status, body] = found ?? [404, { detail: "Not Found" }];
    return { status, ok: status >= 200 && status < 300, json: async () => body };
  };
  return { fetch, seen };
}

test("server addresses are checked and normalised", () => {
  assert.equal(normalizeServer(" http://127.0.0.1:8000/ "), "http://127.0.0.1:8000");
  assert.equal(normalizeServer(""), "http://127.0.0.1:8000");
  assert.equal(normalizeServer("https://proplens.example/base/"), "https://proplens.example/base");
  assert.throws(() => normalizeServer("ftp://x"), /must start with http/);
  assert.throws(() => normalizeServer("not a url"), /is not an address/);
  assert.ok(isLoopback("http://localhost:9"));
  assert.ok(isLoopback("http://127.0.0.1:8000"));
  assert.ok(!isLoopback("http://10.0.0.1:8000"));
});

test("a server that is not running: the message says how to start it", async () => {
  const { fetch } = fakeFetch({ "/healthz": new TypeError("Failed to fetch") });
  const api = client({ server: "http://127.0.0.1:8000", origin: ORIGIN }, fetch);
  await assert.rejects(api.testConnection(), {
    kind: "not_running",
    message: `no proplens server answers at http://127.0.0.1:8000. Start it with: proplens serve --trust-origin ${ORIGIN}`,
  });
});

test("a wrong key and a missing key get different messages; the key is sent as a bearer token", async () => {
  const routes = {
    "/healthz": [200, { ...HEALTH, auth: true }],
    "/v1/techniques": [200, { techniques: [] }],
    "/v1/analyses?limit=1": [401, { error: "unauthorized", message: "this server needs an API key" }],
  };
  const wrong = fakeFetch(routes);
  await assert.rejects(client({ server: "http://127.0.0.1:8000", apiKey: "k1" }, wrong.fetch).testConnection(), {
    kind: "unauthorized",
    message: /refused the API key \(401\)/,
  });
  assert.equal(wrong.seen.at(-1).init.headers.Authorization, "Bearer k1");
  const missing = fakeFetch(routes);
  await assert.rejects(client({ server: "http://127.0.0.1:8000" }, missing.fetch).testConnection(), {
    message: /needs an API key \(401\): set it in the extension's options/,
  });
  assert.equal(missing.seen.at(-1).init.headers.Authorization, undefined);
});

test("a server too old: no version in /healthz, or no /v1/techniques", async () => {
  const noVersion = fakeFetch({ "/healthz": [200, { status: "ok" }] });
  await assert.rejects(client({ server: "http://127.0.0.1:8000" }, noVersion.fetch).health(), {
    kind: "too_old",
    message: /too old for this extension \(its \/healthz gives no version\)/,
  });
  const noEndpoint = fakeFetch({ "/healthz": [200, HEALTH] });
  await assert.rejects(client({ server: "http://127.0.0.1:8000" }, noEndpoint.fetch).testConnection(), {
    kind: "too_old",
    message: /has no \/v1\/techniques: it is too old/,
  });
});

test("an origin the server does not trust: the message gives the flag", async () => {
  const { fetch } = fakeFetch({ "/healthz": [403, { error: "forbidden_origin", message: "origin not trusted" }] });
  await assert.rejects(client({ server: "http://127.0.0.1:8000", origin: ORIGIN }, fetch).health(), {
    message: `the server at http://127.0.0.1:8000 refused this extension (403: origin not trusted). Start it with: proplens serve --trust-origin ${ORIGIN}`,
  });
});

test("analyze posts the text, title and threshold as JSON and returns the answer", async () => {
  const answer = { text: "t", spans: [] };
  const { fetch, seen } = fakeFetch({ "/v1/analyze": [200, answer] });
  const got = await client({ server: "http://127.0.0.1:8000/" }, fetch).analyze({ text: "Hello", title: "T", threshold: 0.05 });
  assert.deepEqual(got, answer);
  const sent = seen[0];
  assert.equal(sent.path, "/v1/analyze");
  assert.equal(sent.init.method, "POST");
  assert.deepEqual(JSON.parse(sent.init.body), { text: "Hello", title: "T", threshold: 0.05 });
  assert.equal(sent.init.credentials, "omit");
});

test("a connection test reports what it found", async () => {
  const { fetch } = fakeFetch({ "/healthz": [200, HEALTH], "/v1/techniques": [200, { techniques: [] }] });
  const found = await client({ server: "http://127.0.0.1:8000" }, fetch).testConnection();
  assert.equal(found.message, "Connected: proplens 0.1.0 at http://127.0.0.1:8000, no API key needed, analyses are stored (links work).");
});
