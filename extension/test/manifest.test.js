import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../static/manifest.json", import.meta.url)));
const docs = readFileSync(new URL("../../docs/extension.md", import.meta.url), "utf8");

/** Chromium's extension id: the first 128 bits of SHA-256 of the public key, in a-p. */
export function extensionId(key) {
  const hex = createHash("sha256").update(Buffer.from(key, "base64")).digest("hex").slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}

test("the narrowest permissions: the article's tab on request, and the loopback server", () => {
  assert.deepEqual(manifest.permissions, ["activeTab", "scripting", "storage", "contextMenus"]);
  assert.deepEqual(manifest.host_permissions, ["http://127.0.0.1/*", "http://localhost/*", "http://[::1]/*"]);
  assert.equal(manifest.content_scripts, undefined, "no script runs on a page unless asked");
  assert.match(manifest.content_security_policy.extension_pages, /^script-src 'self'; object-src 'none'$/);
});

test("the fixed ids are the ones docs/extension.md tells users to trust", () => {
  const id = extensionId(manifest.key);
  assert.match(id, /^[a-p]{32}$/);
  assert.ok(docs.includes(`chrome-extension://${id}`), `docs/extension.md must name chrome-extension://${id}`);
  assert.ok(docs.includes(manifest.browser_specific_settings.gecko.id));
});

test("the shortcut and the toolbar button exist", () => {
  assert.ok(manifest.commands["analyze-page"].suggested_key.default);
  assert.equal(manifest.action.default_popup, "popup.html");
});
