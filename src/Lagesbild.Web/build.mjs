// Bundles the map client into the server's wwwroot: index.html, app.js, app.css (with OpenLayers' CSS), icon.svg.
// Usage: node build.mjs [--outdir <dir>] [--dev]   (default outdir: ../Lagesbild.Server/wwwroot)
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outdirArg = args.indexOf("--outdir");
const outdir = resolve(here, outdirArg >= 0 && args[outdirArg + 1] ? args[outdirArg + 1] : "../Lagesbild.Server/wwwroot");
const dev = args.includes("--dev");

await mkdir(outdir, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: [
    { in: "src/main.ts", out: "app" },
    { in: "src/styles/app.css", out: "app" },
  ],
  outdir,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2022", "chrome109", "firefox115", "safari15.6"],
  minify: !dev,
  sourcemap: "linked",
  legalComments: "linked",
  logLevel: "warning",
  metafile: true,
});

const hash = async (file) => createHash("sha256").update(await readFile(join(outdir, file))).digest("hex").slice(0, 12);
for (const file of await readdir(join(here, "static"))) {
  if (file === "index.html") continue;
  await copyFile(join(here, "static", file), join(outdir, file));
}
// index.html names the exact app.js and app.css, so a browser never mixes an old script with a new page.
const html = (await readFile(join(here, "static/index.html"), "utf8"))
  .replace("__JS_HASH__", await hash("app.js"))
  .replace("__CSS_HASH__", await hash("app.css"));
await writeFile(join(outdir, "index.html"), html);

for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith(".map")) console.log(`  ${file}  ${(bytes / 1024).toFixed(0)} KiB`);
}
