// Builds the Excel add-in: the custom functions (functions.js + functions.json), the task pane
// that hosts them in one shared runtime, the ribbon commands, the manifest and the function
// reference page. `npm run build` writes the production add-in into dist/; `npm run dev-server`
// serves a development build on https://localhost:3000.
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
import webpack from "webpack";
import HtmlWebpackPlugin from "html-webpack-plugin";
import CopyWebpackPlugin from "copy-webpack-plugin";
import CustomFunctionsMetadataPlugin from "custom-functions-metadata-plugin";

const require = createRequire(import.meta.url);
const root = path.dirname(fileURLToPath(import.meta.url));

const DEV_URL = "https://localhost:3000/";
/** The host written in the functions' @helpurl tags (JSDoc is static text). */
const HELP_URL_IN_SOURCE = "https://minepivot.example.com/";
const PRODUCTION_URL = process.env.MINEPIVOT_URL ?? HELP_URL_IN_SOURCE;
const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OFFICE_JS_LOCAL = "office-js/office.js";

if (!/^https:\/\/[^/]+\/(.*\/)?$/.test(PRODUCTION_URL)) {
  throw new Error(`MINEPIVOT_URL must be an https:// URL ending in "/", got ${JSON.stringify(PRODUCTION_URL)}`);
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

/** Rewrites functions.json's help links to the host being built for, and adds the reference page. */
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
        compilation.updateAsset("functions.json", new webpack.sources.RawSource(JSON.stringify(metadata, null, 2)));
        compilation.emitAsset("docs/functions.html", new webpack.sources.RawSource(referenceHtml(metadata)));
      });
    });
  }
}

export default async (env, options) => {
  const dev = options.mode !== "production";
  const baseUrl = dev ? DEV_URL : PRODUCTION_URL;
  const officeJs = (process.env.OFFICE_JS ?? "cdn") === "local" ? OFFICE_JS_LOCAL : OFFICE_JS_CDN;
  const version = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version;

  const config = {
    context: root,
    devtool: "source-map",
    entry: {
      functions: "./src/functions/functions.ts",
      taskpane: "./src/taskpane/taskpane.ts",
      commands: "./src/commands/commands.ts",
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
      // No clean: dist/node holds the CLI, compiled by tsc.
    },
    target: ["web", "es2019"],
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
          use: { loader: "ts-loader", options: { transpileOnly: true, configFile: path.join(root, "tsconfig.addin.json") } },
        },
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
            transform: (content) =>
              dev ? content : content.toString().replaceAll(DEV_URL, PRODUCTION_URL).replaceAll(new URL(DEV_URL).origin, new URL(PRODUCTION_URL).origin),
          },
        ],
      }),
    ],
  };

  if (env.WEBPACK_SERVE) {
    // Only the dev server needs the localhost certificate (office-addin-dev-certs installs it).
    const { getHttpsServerOptions } = require("office-addin-dev-certs");
    config.devServer = {
      port: 3000,
      headers: { "Access-Control-Allow-Origin": "*" },
      server: { type: "https", options: await getHttpsServerOptions() },
      static: [{ directory: path.join(root, "node_modules/@microsoft/office-js/dist"), publicPath: "/office-js" }],
    };
  }
  return config;
};
