// Build the unpacked extension into dist/: bundle the scripts with esbuild (no minifying:
// store reviewers and users can read what runs) and copy the static files.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, process.argv[2] || "dist");

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
