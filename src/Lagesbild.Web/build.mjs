// Bundles the map client into the server's wwwroot: index.html, app-HASH.js (+ chunks loaded when needed),
// app-HASH.css (with OpenLayers' CSS), icon.svg; each script and style also compressed (.br, .gz) for the server to send.
// Usage: node build.mjs [--outdir <dir>] [--dev]   (default outdir: ../Lagesbild.Server/wwwroot)
import { mkdir, readdir, readFile, rm, copyFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outdirArg = args.indexOf("--outdir");
const outdir = resolve(here, outdirArg >= 0 && args[outdirArg + 1] ? args[outdirArg + 1] : "../Lagesbild.Server/wwwroot");
const dev = args.includes("--dev");

// A content hash in every script's and style's name lets the server tell browsers to keep them for a
// year (PageDelivery); the previous build's files go, so wwwroot holds one version.
const built = /(-[A-Z0-9]{8}\.(js|css)|^app\.(js|css))(\.map|\.br|\.gz|\.LEGAL\.txt)?$/;
await mkdir(outdir, { recursive: true });
for (const file of await readdir(outdir)) {
  if (built.test(file)) await rm(join(outdir, file));
}

// OpenLayers' vector layers accept "flat" styles (plain objects with expressions) and so pull in the code that
// compiles them, about 7 KB compressed of the operators' chunk. The page styles every layer with Style objects
// or functions (map/), so that code is left out: a flat style would fail at once with this message.
let flatStylesLeftOut = false;
const withoutFlatStyles = {
  name: "without-flat-styles",
  setup(build) {
    build.onResolve({ filter: /\/render\/canvas\/style\.js$/ }, (args) => {
      if (!args.importer.includes("/node_modules/ol/layer/BaseVector.js")) return undefined;
      flatStylesLeftOut = true;
      return { path: "ol-flat-styles-left-out", namespace: "lagesbild" };
    });
    build.onLoad({ filter: /.*/, namespace: "lagesbild" }, () => ({
      contents: "export function flatStyleLikeToStyleFunction() { throw new Error('Lagesbild: flat styles are left out of the page (build.mjs); style layers with ol/style objects or functions'); }",
      loader: "js",
    }));
  },
};

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: [
    { in: "src/main.ts", out: "app" },
    { in: "src/styles/app.css", out: "app" },
  ],
  outdir,
  entryNames: "[name]-[hash]",
  chunkNames: "[name]-[hash]",
  bundle: true,
  // ES modules, so what only some pages need (the operators' map) is a chunk of its own.
  format: "esm",
  splitting: true,
  platform: "browser",
  target: ["es2022", "chrome109", "firefox115", "safari15.6"],
  minify: !dev,
  sourcemap: "linked",
  legalComments: "linked",
  logLevel: "warning",
  metafile: true,
  plugins: [withoutFlatStyles],
});
// OpenLayers moved the flat styles' code: find where before building without it.
if (!flatStylesLeftOut) throw new Error("build.mjs: ol/layer/BaseVector.js no longer imports ../render/canvas/style.js; update withoutFlatStyles");

for (const file of await readdir(join(here, "static"))) {
  if (file === "index.html") continue;
  await copyFile(join(here, "static", file), join(outdir, file));
}

const outputs = Object.entries(result.metafile.outputs);
const entry = (source) => basename(outputs.find(([, output]) => output.entryPoint === source)[0]);
// index.html names the exact script and style, so a browser never mixes an old script with a new page.
// The chunks the script imports are named too, so the browser fetches them with it, not one round trip later.
const appJs = outputs.find(([, output]) => output.entryPoint === "src/main.ts")[1];
// The boot script asks for them (boot/inline.ts), after the sign-in: the page names them in a meta element.
// The largest first: over HTTP/1.1 six go at once and the rest wait for a free connection, so the large ones'
// round trips then overlap the small ones' instead of following them.
const sizeOf = (path) => outputs.find(([file]) => file === path)[1].bytes;
const preloadOf = (paths) => paths.toSorted((a, b) => sizeOf(b) - sizeOf(a)).map((path) => basename(path)).join(" ");
const appImports = appJs.imports.filter((i) => i.kind === "import-statement").map((i) => i.path);
// The operators' page (the map, the panels, the live connection) is a chunk the script imports when someone
// signs in. An operator's page names it and what it imports too, so they come with the script instead of one
// round trip (0.56 s on Fast 3G) after; the residents' public view (public.html, served for /?view=public) does
// without their 130 KB.
const chunkOf = (name) => appJs.imports.find((i) => i.kind === "dynamic-import" && basename(i.path).startsWith(`${name}-`))?.path;
const operatorsImports = [];
const preloadWithImports = (path) => {
  if (!path || operatorsImports.includes(path) || appImports.includes(path)) return;
  operatorsImports.push(path);
  for (const i of outputs.find(([file]) => file === path)[1].imports) if (i.kind === "import-statement") preloadWithImports(i.path);
};
preloadWithImports(chunkOf("operators"));
// The boot script goes into the page itself, first in its head: it starts the sign-in and the live connection
// before the script files (and any stylesheet, which a later script would wait for) have arrived. The server
// allows it by its hash (SecurityHeaders).
const boot = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ["src/boot/inline.ts"],
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2022", "chrome109", "firefox115", "safari15.6"],
  minify: true,
  write: false,
  logLevel: "warning",
});
const bootScript = boot.outputFiles[0].text.trim();
if (bootScript.includes("</script")) throw new Error("the boot script cannot be written into the page: it contains </script");
const template = await readFile(join(here, "static/index.html"), "utf8");
const page = (preloads) => template
  .replace("__BOOT__", () => bootScript)
  .replace("__APP_JS__", entry("src/main.ts"))
  .replace("__PRELOADS__", preloads)
  .replace("__APP_CSS__", entry("src/styles/app.css"));
// The map's districts, which the operators' page asks for only once it has arrived: asked with the scripts
// instead, they are there when the picture is (the residents' view draws no areas). Not the water: a backdrop,
// asked for when the map is drawn, it would take a connection and 19 KB from what the picture waits for.
const mapData = "/maps/districts.geojson";
await writeFile(join(outdir, "index.html"), page(`${preloadOf([...appImports, ...operatorsImports])} ${mapData}`));
await writeFile(join(outdir, "public.html"), page(preloadOf(appImports)));

for (const [file, { bytes }] of outputs) {
  if (file.endsWith(".map") || file.endsWith(".txt")) continue;
  const content = await readFile(join(here, file));
  const br = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } });
  await writeFile(join(here, file + ".br"), br);
  await writeFile(join(here, file + ".gz"), gzipSync(content, { level: 9 }));
  console.log(`  ${file}  ${(bytes / 1024).toFixed(0)} KiB (brotli ${(br.length / 1024).toFixed(0)} KiB)`);
}
