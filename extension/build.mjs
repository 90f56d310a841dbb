// Build the unpacked extension into dist/: bundle the scripts with esbuild (no minifying:
// store reviewers and users can read what runs) and copy the static files.
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, process.argv[2] || "dist");

if (existsSync(out) && readdirSync(out).length && !existsSync(join(out, "manifest.json"))) {
  console.error(`build: ${out} is not empty and holds no extension build; not replacing it`);
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["background", "content", "popup", "options"].map((n) => join(here, "src", `${n}.js`)),
  outdir: out,
  bundle: true,
  format: "iife",
  target: ["chrome120", "firefox128"],
  legalComments: "inline",
  charset: "utf8",
  logLevel: "warning",
  absWorkingDir: here, // the path comments in the bundles do not depend on where npm runs
});
cpSync(join(here, "static"), out, { recursive: true });
cpSync(join(here, "icons"), join(out, "icons"), { recursive: true });
