/**
 * The architecture the folder layout promises: the valuation core is pure TypeScript that knows
 * nothing of Node, Office, React or the DOM, and imports only itself; adapters (the CLI) may
 * import the core, never the other way round. Checked by reading the sources as text.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const CORE = join(SRC, "core");
const CLI = join(SRC, "cli");
const WORKBOOK = join(SRC, "workbook");

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(name)) found.push(path);
  }
  return found.sort();
}

/** Characters after which a `/` starts a regular expression rather than a division. */
const REGEX_PRECEDERS = new Set([..."(,=:[!&|?{};+-*%<>~^"]);
const REGEX_KEYWORDS = /\b(return|typeof|case|do|else|in|of|void|yield|await|throw|delete|instanceof)$/;

/**
 * The code with comments blanked and the contents of string, template and regex literals
 * blanked (quotes kept, `${...}` expressions kept as code), so identifier searches see code only.
 * Lengths and newlines are preserved.
 */
function codeOnly(source: string): string {
  const out: string[] = [];
  // Brace depth at which each open template's `${` expression started.
  const templateStack: number[] = [];
  let braceDepth = 0;
  let i = 0;
  const blank = (ch: string) => (ch === "\n" ? "\n" : " ");
  const lastCode = (): string => {
    for (let k = out.length - 1; k >= 0; k--) {
      const piece = out[k]!;
      const trimmed = piece.trimEnd();
      if (trimmed !== "")
        return out
          .slice(Math.max(0, k - 20), k + 1)
          .join("")
          .trimEnd();
    }
    return "";
  };
  const readTemplate = (): void => {
    // At the character after "`" or after the "}" that closes a `${...}`.
    while (i < source.length) {
      const ch = source[i]!;
      if (ch === "\\") {
        out.push(" ", blank(source[i + 1] ?? " "));
        i += 2;
      } else if (ch === "`") {
        out.push("`");
        i++;
        return;
      } else if (ch === "$" && source[i + 1] === "{") {
        out.push("${");
        i += 2;
        templateStack.push(braceDepth);
        braceDepth++;
        return;
      } else {
        out.push(blank(ch));
        i++;
      }
    }
  };
  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") out.push(blank(source[i++]!));
    } else if (ch === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      while (i < stop) out.push(blank(source[i++]!));
    } else if (ch === '"' || ch === "'") {
      out.push(ch);
      i++;
      while (i < source.length && source[i] !== ch && source[i] !== "\n") {
        if (source[i] === "\\") {
          out.push(" ");
          i++;
        }
        if (i < source.length) out.push(blank(source[i++]!));
      }
      if (i < source.length) out.push(source[i++]!);
    } else if (ch === "`") {
      out.push("`");
      i++;
      readTemplate();
    } else if (ch === "/") {
      const before = lastCode();
      const prev = before.slice(-1);
      if (before === "" || REGEX_PRECEDERS.has(prev) || REGEX_KEYWORDS.test(before)) {
        // A regular expression literal: blank its body, keep the slashes and flags.
        out.push("/");
        i++;
        let inClass = false;
        while (i < source.length && source[i] !== "\n") {
          const c = source[i]!;
          if (c === "\\") {
            out.push("  ");
            i += 2;
            continue;
          }
          if (c === "[") inClass = true;
          else if (c === "]") inClass = false;
          else if (c === "/" && !inClass) break;
          out.push(" ");
          i++;
        }
        if (i < source.length && source[i] === "/") out.push(source[i++]!);
      } else {
        out.push(ch);
        i++;
      }
    } else if (ch === "{") {
      braceDepth++;
      out.push(ch);
      i++;
    } else if (ch === "}") {
      braceDepth--;
      if (templateStack.length > 0 && templateStack[templateStack.length - 1] === braceDepth) {
        templateStack.pop();
        out.push("}");
        i++;
        readTemplate();
      } else {
        out.push(ch);
        i++;
      }
    } else {
      out.push(ch);
      i++;
    }
  }
  return out.join("");
}

/**
 * Module specifiers a source imports or re-exports: static `import ... from "x"`, bare
 * `import "x"`, `export ... from "x"`, `import("x")`, `require("x")` and `import x = require("x")`.
 * Comments are ignored (they are blanked before the search; the specifier is read back from
 * the original text at the same position).
 */
function importSpecifiers(source: string): string[] {
  const code = codeOnly(source);
  const specifiers: string[] = [];
  const patterns = [/\b(?:import|export)\b[^;"'`]*?\bfrom\s*(["'])/g, /\bimport\s*(["'])/g, /\bimport\s*\(\s*(["'`])/g, /\brequire\s*\(\s*(["'`])/g];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const quoteAt = match.index + match[0].length - 1;
      const quote = source[quoteAt]!;
      const end = source.indexOf(quote, quoteAt + 1);
      specifiers.push(source.slice(quoteAt + 1, end));
    }
  }
  return specifiers;
}

/** Globals of a host environment; the core must run the same in Excel, a browser and Node. */
const HOST_GLOBALS = [
  "window",
  "document",
  "navigator",
  "localStorage",
  "sessionStorage",
  "fetch",
  "XMLHttpRequest",
  "Office",
  "Excel",
  "OfficeRuntime",
  "CustomFunctions",
  "React",
  "process",
  "require",
  "module",
  "Buffer",
  "__dirname",
  "__filename",
  "globalThis",
];

/** Host globals used as code (not as a property name after `.`, not in comments or strings). */
function hostGlobalsUsed(source: string): string[] {
  const code = codeOnly(source);
  const found = new Set<string>();
  const pattern = new RegExp(`(?<![.\\w$])(${HOST_GLOBALS.join("|")})(?![\\w$])`, "g");
  for (const match of code.matchAll(pattern)) {
    const before = code.slice(0, match.index).trimEnd();
    // `{ document: ... }` / `document?:` in a type are object keys, not the global.
    const after = code.slice(match.index + match[0].length).trimStart();
    if (/^\??:/.test(after) && /[{,]$/.test(before)) continue;
    found.add(match[1]!);
  }
  return [...found].sort();
}

/** Where a relative specifier points: "./x.js" → the .ts file next to `from`. */
function resolveSpecifier(from: string, specifier: string): string {
  const target = resolve(dirname(from), specifier);
  for (const candidate of [target, target.replace(/\.(m|c)?js$/, ".$1ts"), `${target}.ts`, join(target, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return target;
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel);
}

const coreFiles = sourceFiles(CORE);
const cliFiles = sourceFiles(CLI);
const shortName = (path: string) => relative(SRC, path).split(sep).join("/");

describe("the checker itself", () => {
  it("finds imports in every form and ignores comments and strings", () => {
    const sample = [
      'import { a } from "./a.js";',
      "import type { B } from './b.js';",
      'import "./side-effect.js";',
      'export * from "./c.js";',
      "export { d } from './d.js';",
      'const e = await import("./e.js");',
      'const f = require("f");',
      "import {",
      "  g,",
      '} from "./g.js";',
      '// import { h } from "node:fs";',
      '/* import x from "react"; */',
      "const text = \"import y from 'office'\";",
    ].join("\n");
    expect(importSpecifiers(sample).sort()).toEqual(["./a.js", "./b.js", "./c.js", "./d.js", "./e.js", "./g.js", "./side-effect.js", "f"]);
  });

  it("finds host globals used as code, not in comments, strings, regexes or as property names", () => {
    expect(hostGlobalsUsed("const w = window.innerWidth;")).toEqual(["window"]);
    expect(hostGlobalsUsed("if (process.env.X) {}")).toEqual(["process"]);
    expect(hostGlobalsUsed("const el = document.getElementById('x');")).toEqual(["document"]);
    expect(hostGlobalsUsed("const x = `${process.argv[0]}`;")).toEqual(["process"]);
    expect(hostGlobalsUsed("Office.onReady(() => {});")).toEqual(["Office"]);
    const clean = [
      "// the window of time; read the document; process it",
      "/* Excel and Office store ids */",
      'const label = "Excel window process document";',
      "const t = `process ${1 + 2} window`;",
      "const re = /window|document/g;",
      "const o = { document: 1, process: 2 };",
      "const y = o.process + o.document;",
      "const processed = 1, windows = 2;",
      "const half = 10 / 2 / 5; // division, not a regex",
    ].join("\n");
    expect(hostGlobalsUsed(clean)).toEqual([]);
  });
});

describe("the core is pure", () => {
  it("has source files to check", () => {
    expect(coreFiles.length).toBeGreaterThan(5);
    expect(coreFiles.map(shortName)).toContain("core/index.ts");
  });

  it.each(coreFiles.map((path) => [shortName(path), path]))("%s imports only relative modules within src/core", (_name, path) => {
    const source = readFileSync(path, "utf8");
    for (const specifier of importSpecifiers(source)) {
      expect(specifier, `${shortName(path)} imports "${specifier}"`).toMatch(/^\.\.?\//);
      const target = resolveSpecifier(path, specifier);
      expect(isInside(CORE, target), `${shortName(path)} imports "${specifier}", outside src/core`).toBe(true);
      expect(existsSync(target), `${shortName(path)} imports "${specifier}", which does not exist`).toBe(true);
    }
  });

  it.each(coreFiles.map((path) => [shortName(path), path]))("%s names no Node, Office, React or DOM module", (_name, path) => {
    const specifiers = importSpecifiers(readFileSync(path, "utf8"));
    const banned = /^(node:|fs$|fs\/|path$|os$|url$|child_process$|crypto$|react|office|@microsoft\/office|excel)/i;
    expect(specifiers.filter((s) => banned.test(s) || /(^|\/)cli(\/|$)/.test(s))).toEqual([]);
  });

  it.each(coreFiles.map((path) => [shortName(path), path]))("%s uses no host globals (window, document, process, Office...)", (_name, path) => {
    expect(hostGlobalsUsed(readFileSync(path, "utf8"))).toEqual([]);
  });

  it("the import scan is not vacuous: the core's modules import one another", () => {
    const all = coreFiles.flatMap((path) => importSpecifiers(readFileSync(path, "utf8")));
    expect(all).toContain("./errors.js");
    expect(all).toContain("./registry.js");
  });
});

describe("dependencies point inwards", () => {
  it("the core never imports src/cli", () => {
    for (const path of coreFiles) {
      for (const specifier of importSpecifiers(readFileSync(path, "utf8"))) {
        const target = resolveSpecifier(path, specifier);
        expect(isInside(CLI, target), `${shortName(path)} imports "${specifier}"`).toBe(false);
      }
    }
  });

  it("the CLI imports the core, the workbook writer, itself, Node built-ins or the xlsx library only", () => {
    let importsCore = false;
    for (const path of cliFiles) {
      for (const specifier of importSpecifiers(readFileSync(path, "utf8"))) {
        if (specifier.startsWith("node:") || specifier === "wasm-xlsxwriter") continue;
        expect(specifier, `${shortName(path)} imports "${specifier}"`).toMatch(/^\.\.?\//);
        const target = resolveSpecifier(path, specifier);
        const inCore = isInside(CORE, target);
        importsCore ||= inCore;
        expect(inCore || isInside(CLI, target) || isInside(WORKBOOK, target), `${shortName(path)} imports "${specifier}"`).toBe(true);
      }
    }
    expect(importsCore).toBe(true);
  });

  it("the workbook plan and writer import only the core, each other and (as a type) the xlsx library", () => {
    const files = readdirSync(WORKBOOK)
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(WORKBOOK, name));
    expect(files.length).toBeGreaterThan(2);
    for (const path of files) {
      const text = readFileSync(path, "utf8");
      for (const specifier of importSpecifiers(text)) {
        if (specifier === "wasm-xlsxwriter") {
          expect(text, `${shortName(path)} must import wasm-xlsxwriter as a type only`).toMatch(/import type \* as \w+ from "wasm-xlsxwriter"/);
          continue;
        }
        const target = resolveSpecifier(path, specifier);
        expect(isInside(CORE, target) || isInside(WORKBOOK, target), `${shortName(path)} imports "${specifier}"`).toBe(true);
      }
    }
  });
});
