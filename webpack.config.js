// Builds the Excel add-in: the custom functions (functions.js + functions.json), the task pane
// that hosts them in one shared runtime, the ribbon commands, the manifest and the function
// reference page. `npm run build` writes the production add-in into dist/; `npm run dev-server`
// serves a development build on https://localhost:3000 (the port is package.json's
// config.dev_server_port, which npm passes on as npm_package_config_dev_server_port).
//
// Settings, all read at build time:
// - MINEPIVOT_URL: where the production add-in is hosted (HTTPS, ending in "/"). This is the one
//   place the production URL is set: the manifest's localhost URLs and the functions' help links
//   are rewritten to it in production builds.
// - OFFICE_JS: "cdn" (the default; Microsoft's CDN, as AppSource requires) or "local" (a copy
//   served from the @microsoft/office-js package by the dev server, for offline development).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import browserslist from "browserslist";
import webpack from "webpack";
import HtmlWebpackPlugin from "html-webpack-plugin";
import CopyWebpackPlugin from "copy-webpack-plugin";
import CustomFunctionsMetadataPlugin from "custom-functions-metadata-plugin";

const require = createRequire(import.meta.url);
const root = path.dirname(fileURLToPath(import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

/** The dev server's URL as manifest.xml spells it; dev builds move it to the configured port. */
const DEV_URL = "https://localhost:3000/";
/** The host written in the functions' @helpurl tags (JSDoc is static text). */
const HELP_URL_IN_SOURCE = "https://minepivot.example.com/";
const PRODUCTION_URL = process.env.MINEPIVOT_URL ?? HELP_URL_IN_SOURCE;
const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OFFICE_JS_LOCAL = "office-js/office.js";

if (!/^https:\/\/[^/]+\/(.*\/)?$/.test(PRODUCTION_URL)) {
  throw new Error(`MINEPIVOT_URL must be an https:// URL ending in "/", got ${JSON.stringify(PRODUCTION_URL)}`);
}

/**
 * The JavaScript the add-in ships must parse in every browser Office runs it in: package.json's
 * browserslist names them (WebView2 on Windows, the Safari WKWebView of Office on Mac and iPad,
 * and the browsers of Excel on the web). esbuild lowers the syntax of our code and of every
 * dependency to the oldest of each, and to ES2021 as a whole: Safari 14.1, the oldest declared (macOS Big Sur),
 * parses all of ES2021 but only part of ES2022 (no class static blocks or private methods), and
 * a test parses every shipped script as ES2021.
 */
const SYNTAX_TARGET = "es2021";
const ESBUILD_ENGINES = { chrome: "chrome", edge: "edge", firefox: "firefox", safari: "safari", ios_saf: "ios" };

function esbuildTargets() {
  const oldest = new Map();
  const older = (a, b) => {
    const [x, y] = [a, b].map((v) => v.split(".").map(Number));
    return x[0] !== y[0] ? x[0] < y[0] : (x[1] ?? 0) < (y[1] ?? 0);
  };
  for (const entry of browserslist(undefined, { path: root })) {
    const [name, versions] = entry.split(" ");
    const engine = ESBUILD_ENGINES[name];
    if (!engine) throw new Error(`browserslist names ${entry}, which the build cannot target; use ${Object.keys(ESBUILD_ENGINES).join(", ")}`);
    const version = versions.split("-")[0];
    if (!oldest.has(engine) || older(version, oldest.get(engine))) oldest.set(engine, version);
  }
  return [SYNTAX_TARGET, ...[...oldest].map(([engine, version]) => `${engine}${version}`)];
}

/** The function reference page that each function's help link opens, from functions.json. */
function referenceHtml(metadata) {
  const escape = (text) => String(text ?? "").replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]);
  const sections = metadata.functions.map((fn) => {
    const signature = fn.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ");
    const params = fn.parameters.map((p) => `<li><code>${escape(p.name)}</code>${p.optional ? " (optional)" : ""}: ${escape(p.description)}</li>`).join("");
    return `<section id="${fn.id.toLowerCase()}"><h2><code>MINEPIVOT.${escape(fn.id)}(${escape(signature)})</code></h2><p>${escape(fn.description)}</p><ul>${params}</ul></section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>MinePivot functions</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.45}code{font-size:.95em}section{border-top:1px solid #ddd;padding-top:.5rem}</style>
</head><body><h1>MinePivot custom functions</h1><p>Every function of the <code>MINEPIVOT</code> namespace. Ranges of assumptions have two columns, key and value; keys left out take their defaults (see <code>MINEPIVOT.ASSUMPTIONS()</code>).</p>
${sections.join("\n")}</body></html>`;
}

/**
 * Finishes functions.json: help links on the host being built for, and allowErrorForDataTypeAny,
 * which the metadata generator cannot write. Without it Excel never calls a function whose
 * range holds an error cell, so the message that names that cell never shows. Also adds the
 * reference page.
 */
class FunctionReferencePlugin {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("FunctionReferencePlugin", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "FunctionReferencePlugin", stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONS }, () => {
        const asset = compilation.getAsset("functions.json");
        if (!asset) return;
        const metadata = JSON.parse(asset.source.source().toString());
        for (const fn of metadata.functions) if (fn.helpUrl) fn.helpUrl = fn.helpUrl.replace(HELP_URL_IN_SOURCE, this.baseUrl);
        metadata.allowErrorForDataTypeAny = true;
        compilation.updateAsset("functions.json", new webpack.sources.RawSource(JSON.stringify(metadata, null, 2)));
        compilation.emitAsset("docs/functions.html", new webpack.sources.RawSource(referenceHtml(metadata)));
      });
    });
  }
}

/** package.json's config.dev_server_port, or npm's override of it. */
function devServerPort() {
  const value = process.env.npm_package_config_dev_server_port ?? packageJson.config?.dev_server_port;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`dev_server_port (package.json config) must be a whole number from 1 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * The https options of the dev server: the localhost certificate of office-addin-dev-certs,
 * which Office trusts once `npx office-addin-dev-certs install` has run. On Windows and macOS a
 * missing certificate is created and installed here, as Microsoft's templates do (the system
 * asks first). Elsewhere nothing is installed: a certificate already made is used, and without
 * one webpack-dev-server's self-signed certificate serves, which browsers and Office do not
 * trust, so the page and the manifest load only after accepting it.
 */
async function devCertificate() {
  const certs = require("office-addin-dev-certs");
  const { localhostCertificatePath, localhostKeyPath, caCertificatePath } = require("office-addin-dev-certs/lib/defaults");
  if (process.platform === "win32" || process.platform === "darwin") return certs.getHttpsServerOptions();
  try {
    return { ca: readFileSync(caCertificatePath), cert: readFileSync(localhostCertificatePath), key: readFileSync(localhostKeyPath) };
  } catch {
    console.warn(
      `No development certificate at ${localhostCertificatePath}: serving with a self-signed one. Run \`npx office-addin-dev-certs install\` for one that Office trusts.`,
    );
    return undefined;
  }
}

export default async (env, options) => {
  const dev = options.mode !== "production";
  const officeJs = (process.env.OFFICE_JS ?? "cdn") === "local" ? OFFICE_JS_LOCAL : OFFICE_JS_CDN;
  const version = packageJson.version;
  const port = devServerPort();
  const devUrl = `https://localhost:${port}/`;
  const baseUrl = dev ? devUrl : PRODUCTION_URL;
  const target = esbuildTargets();

  const config = {
    context: root,
    devtool: "source-map",
    entry: {
      functions: "./src/functions/functions.ts",
      taskpane: "./src/taskpane/taskpane.ts",
      commands: "./src/commands/commands.ts",
      // The task pane's workbook worker, started by name (src/taskpane/workbookJobs.ts): an entry
      // of its own that no page loads, so the pages' scripts carry no worker runtime and still
      // load where there is no DOM.
      "workbook-worker": "./src/worker/workbook.worker.ts",
      // The Risk view's Web Worker, an entry of its own that src/taskpane/risk.ts starts by file
      // name. (new Worker(new URL(..., import.meta.url)) would add a runtime to taskpane.js that
      // reads self.location on load, and the page's scripts must load without a DOM.)
      "risk-worker": "./src/worker/risk.worker.ts",
    },
    output: {
      path: path.join(root, "dist"),
      filename: "[name].js",
      // Lazy chunks of the task pane: its other panels and the workbook builder.
      chunkFilename: "[name].chunk.js",
      // The chunk loader's registry lives on globalThis, not `self`, so the scripts still load
      // where there is no window (a bare script context in tests).
      globalObject: "globalThis",
      publicPath: "",
      // dist/node is the CLI, compiled by tsc, not by webpack.
      clean: { keep: /^node[\\/]/ },
    },
    target: "browserslist",
    resolve: {
      extensions: [".ts", ".tsx", ".js"],
      // Sources import "./x.js" (Node ESM style); in the bundle that means ./x.ts or ./x.tsx.
      extensionAlias: { ".js": [".ts", ".tsx", ".js"] },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: [
            { loader: "esbuild-loader", options: { target } },
            { loader: "ts-loader", options: { transpileOnly: true, configFile: path.join(root, "tsconfig.addin.json") } },
          ],
        },
        // The core is pure (no module runs code on import), so webpack may leave out what a chunk
        // does not use: the Monte Carlo code the Risk tab loads stays out of the pane's first script.
        { test: /[\\/]src[\\/]core[\\/]/, sideEffects: false },
        // Dependencies ship newer syntax than Office's oldest webviews parse (Fluent UI has class
        // static blocks), so they are lowered too.
        { test: /\.m?js$/, include: /node_modules/, use: { loader: "esbuild-loader", options: { target } } },
      ],
    },
    // Budgets for scripts, minified: the task pane (React 18 + Fluent UI v9 + the core) is about
    // 480 KB, 140 KB gzipped (bench/taskpane.mjs reports it); its other panels, the workbook
    // builder and the .xlsx writer load on demand, the writer's 1.4 MB .wasm only when a workbook
    // is generated.
    performance: { maxAssetSize: 512_000, maxEntrypointSize: 512_000, assetFilter: (file) => file.endsWith(".js") },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: "functions.json", input: "./src/functions/functions.ts" }),
      new FunctionReferencePlugin(baseUrl),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        // The shared runtime: the task pane page also runs the custom functions and the commands.
        chunks: ["functions", "commands", "taskpane"],
        chunksSortMode: "manual",
        templateParameters: { officeJs, version },
      }),
      new HtmlWebpackPlugin({
        filename: "commands.html",
        template: "./src/commands/commands.html",
        chunks: ["commands"],
        templateParameters: { officeJs, version },
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "[path][name][ext]" },
          // The .xlsx writer (wasm-xlsxwriter's web build, an ES module and its .wasm) is shipped as
          // is, not bundled: the task pane imports it natively when a workbook is generated, and
          // the module finds its .wasm next to itself.
          { from: "node_modules/wasm-xlsxwriter/web/wasm_xlsxwriter.js", to: "xlsx/wasm_xlsxwriter.js" },
          { from: "node_modules/wasm-xlsxwriter/web/wasm_xlsxwriter_bg.wasm", to: "xlsx/wasm_xlsxwriter_bg.wasm" },
          { from: "node_modules/wasm-xlsxwriter/LICENSE", to: "xlsx/LICENSE" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            // Page URLs take the production URL; the AppDomain (an origin, no path) its origin.
            transform: (content) => content.toString().replaceAll(DEV_URL, baseUrl).replaceAll(new URL(DEV_URL).origin, new URL(baseUrl).origin),
          },
        ],
      }),
    ],
  };

  if (env.WEBPACK_SERVE) {
    config.devServer = {
      // Loopback only: the add-in is for this machine's Office, not the network.
      host: "localhost",
      port,
      headers: { "Access-Control-Allow-Origin": "*" },
      server: { type: "https", options: await devCertificate() },
      // Browsers compile WebAssembly as it streams in only when it is served as application/wasm.
      devMiddleware: { mimeTypes: { wasm: "application/wasm" } },
      static: [{ directory: path.join(root, "node_modules/@microsoft/office-js/dist"), publicPath: "/office-js" }],
    };
  }
  return config;
};
