/**
 * A parser for the spreadsheet formulas a workbook plan holds, in relative R1C1 form (A1
 * formulas are converted first): numbers, strings, booleans, error literals, references and
 * ranges (optionally on another sheet), defined names, function calls and Excel's operators
 * with Excel's precedence (negation binds tighter than ^, so -2^2 = 4).
 */

export type ErrorCode = "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!";
export const ERROR_CODES: readonly ErrorCode[] = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"];

/** One coordinate of a reference: absolute (0-based) or relative to the formula's cell. */
export interface Coord {
  readonly abs: boolean;
  readonly n: number;
}

export interface CellRefNode {
  readonly k: "ref";
  readonly sheet?: string;
  readonly row: Coord;
  readonly col: Coord;
}

export type Node =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "str"; readonly v: string }
  | { readonly k: "bool"; readonly v: boolean }
  | { readonly k: "err"; readonly code: ErrorCode }
  | CellRefNode
  | { readonly k: "range"; readonly from: CellRefNode; readonly to: CellRefNode }
  | { readonly k: "name"; readonly name: string }
  | { readonly k: "fn"; readonly name: string; readonly args: Node[] }
  | { readonly k: "neg"; readonly a: Node }
  | { readonly k: "pct"; readonly a: Node }
  | { readonly k: "bin"; readonly op: BinaryOp; readonly a: Node; readonly b: Node };

export type BinaryOp = "+" | "-" | "*" | "/" | "^" | "&" | "=" | "<>" | "<" | ">" | "<=" | ">=";

type Token =
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "err"; v: ErrorCode }
  | { t: "ref"; sheet?: string; row: Coord; col: Coord }
  | { t: "id"; v: string; sheet?: string }
  | { t: "op"; v: string };

// Sticky: each matches at lastIndex, so the tokenizer never copies the rest of the formula.
const R1C1 = /R(\[-?\d+\]|\d+)C(\[-?\d+\]|\d+)(?![A-Za-z0-9_.(])/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_\\][A-Za-z0-9_.]*/y;
const QUOTED_SHEET = /'((?:[^']|'')+)'!/y;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function coord(text: string): Coord {
  return text.startsWith("[") ? { abs: false, n: Number(text.slice(1, -1)) } : { abs: true, n: Number(text) - 1 };
}

function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  let i = formula.startsWith("=") ? 1 : 0;
  let sheet: string | undefined;
  const fail = (what: string): never => {
    throw new Error(`formula ${formula}: ${what} at character ${i + 1}`);
  };
  while (i < formula.length) {
    const ch = formula[i]!;
    if (ch === " ") {
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= formula.length) fail("unclosed string");
        if (formula[j] === '"') {
          if (formula[j + 1] === '"') {
            text += '"';
            j += 2;
            continue;
          }
          break;
        }
        text += formula[j];
        j++;
      }
      tokens.push({ t: "str", v: text });
      i = j + 1;
      continue;
    }
    if (ch === "'") {
      const end = matchAt(QUOTED_SHEET, formula, i) ?? fail("bad sheet name");
      sheet = end[1]!.replace(/''/g, "'");
      i += end[0].length;
      continue;
    }
    if (ch === "#") {
      const code = ERROR_CODES.find((c) => formula.startsWith(c, i)) ?? fail("unknown error literal");
      tokens.push({ t: "err", v: code });
      i += code.length;
      continue;
    }
    const ref = matchAt(R1C1, formula, i);
    if (ref) {
      tokens.push({ t: "ref", ...(sheet !== undefined ? { sheet } : {}), row: coord(ref[1]!), col: coord(ref[2]!) });
      sheet = undefined;
      i += ref[0].length;
      continue;
    }
    const num = matchAt(NUMBER, formula, i);
    if (num) {
      tokens.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = matchAt(IDENT, formula, i);
    if (id) {
      i += id[0].length;
      if (formula[i] === "!") {
        sheet = id[0];
        i++;
        continue;
      }
      tokens.push({ t: "id", v: id[0], ...(sheet !== undefined ? { sheet } : {}) });
      sheet = undefined;
      continue;
    }
    const two = formula.slice(i, i + 2);
    if (two === "<>" || two === "<=" || two === ">=") {
      tokens.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("+-*/^&=<>(),:%".includes(ch)) {
      tokens.push({ t: "op", v: ch });
      i++;
      continue;
    }
    fail(`unexpected "${ch}"`);
  }
  return tokens;
}

const COMPARISONS = ["=", "<>", "<", ">", "<=", ">="];
const POWER = ["^"];
const MULTIPLICATIVE = ["*", "/"];
const ADDITIVE = ["+", "-"];
const CONCAT = ["&"];

/** Parses an R1C1 formula (with or without its leading "=") into a syntax tree. */
export function parseFormula(formula: string): Node {
  const tokens = tokenize(formula);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isOp = (v: string): boolean => {
    const token = tokens[at];
    return token !== undefined && token.t === "op" && token.v === v;
  };
  const fail = (what: string): never => {
    throw new Error(`formula ${formula}: ${what}`);
  };
  const expect = (v: string): void => {
    if (!isOp(v)) fail(`expected "${v}"`);
    at++;
  };

  /** One level of left-associative binary operators over the next level down. */
  const level = (ops: readonly string[], next: () => Node) => (): Node => {
    let node = next();
    for (let token = peek(); token?.t === "op" && ops.includes(token.v); token = peek()) {
      at++;
      node = { k: "bin", op: token.v as BinaryOp, a: node, b: next() };
    }
    return node;
  };
  const power = level(POWER, () => unary());
  const multiplicative = level(MULTIPLICATIVE, power);
  const additive = level(ADDITIVE, multiplicative);
  const concat = level(CONCAT, additive);
  const comparison = level(COMPARISONS, concat);
  const unary = (): Node => {
    if (isOp("-")) {
      at++;
      return { k: "neg", a: unary() };
    }
    if (isOp("+")) {
      at++;
      return unary();
    }
    let node = primary();
    while (isOp("%")) {
      at++;
      node = { k: "pct", a: node };
    }
    return node;
  };
  const primary = (): Node => {
    const token = tokens[at++] ?? fail("unexpected end");
    switch (token.t) {
      case "num":
        return { k: "num", v: token.v };
      case "str":
        return { k: "str", v: token.v };
      case "err":
        return { k: "err", code: token.v };
      case "ref": {
        const from: CellRefNode = { k: "ref", ...(token.sheet !== undefined ? { sheet: token.sheet } : {}), row: token.row, col: token.col };
        if (!isOp(":")) return from;
        at++;
        const end = tokens[at++];
        if (end?.t !== "ref") return fail("a range needs a reference after ':'");
        return { k: "range", from, to: { k: "ref", ...(token.sheet !== undefined ? { sheet: token.sheet } : {}), row: end.row, col: end.col } };
      }
      case "id": {
        const upper = token.v.toUpperCase();
        if (isOp("(")) {
          at++;
          const args: Node[] = [];
          if (!isOp(")")) {
            for (;;) {
              args.push(comparison());
              if (isOp(",")) {
                at++;
                continue;
              }
              break;
            }
          }
          expect(")");
          return { k: "fn", name: upper, args };
        }
        if (upper === "TRUE" || upper === "FALSE") return { k: "bool", v: upper === "TRUE" };
        return { k: "name", name: token.v };
      }
      case "op":
        if (token.v === "(") {
          const inner = comparison();
          expect(")");
          return inner;
        }
        return fail(`unexpected "${token.v}"`);
    }
  };

  const tree = comparison();
  if (at !== tokens.length) fail("unexpected text after the formula");
  return tree;
}
