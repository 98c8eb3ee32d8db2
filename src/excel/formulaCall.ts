/**
 * Reads a MINEPIVOT call out of a cell formula, so the task pane can audit the cell: which
 * function, which scenario, which assumptions range. A small tokenizer, not a full Excel
 * grammar: arguments are split at top-level commas, respecting quotes, quoted sheet names and
 * nested parentheses or braces.
 */

export type FormulaArg =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "reference"; address: string }
  | { kind: "missing" }
  | { kind: "other"; text: string };

const CALL = /MINEPIVOT\.([A-Z_][A-Z0-9_]*)\s*\(/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?%?$/i;
const CELL = String.raw`\$?[A-Za-z]{1,3}\$?\d+`;
const SHEET = String.raw`(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!`;
const REFERENCE = new RegExp(String.raw`^(?:${SHEET})?(?:${CELL}(?::${CELL})?|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+)$`);
const NAME = /^[A-Za-z_\\][\w.\\]*$/;

/** The first MINEPIVOT.<ID>(...) call in `formula`, with its arguments; undefined when none. */
export function parseMinepivotCall(formula: string): { id: string; args: FormulaArg[] } | undefined {
  const code = maskStrings(formula);
  const match = CALL.exec(code);
  if (!match) return undefined;
  const open = match.index + match[0].length;
  const args: string[] = [];
  let depth = 0;
  let start = open;
  for (let i = open; i < formula.length; i++) {
    const ch = code[i]!;
    if (ch === "(" || ch === "{") depth++;
    else if (ch === ")" || ch === "}") {
      if (depth === 0) {
        args.push(formula.slice(start, i));
        return { id: match[1]!.toUpperCase(), args: args.length === 1 && args[0]!.trim() === "" ? [] : args.map(parseArg) };
      }
      depth--;
    } else if (ch === "," && depth === 0) {
      args.push(formula.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}

/** Replaces the contents of string literals and quoted sheet names with spaces (same length). */
function maskStrings(formula: string): string {
  return formula.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'/g, (quoted) => quoted[0] + " ".repeat(quoted.length - 2) + quoted[0]);
}

function parseArg(raw: string): FormulaArg {
  const text = raw.trim();
  if (text === "") return { kind: "missing" };
  if (/^"(?:[^"]|"")*"$/.test(text)) return { kind: "string", value: text.slice(1, -1).replace(/""/g, '"') };
  if (NUMBER.test(text)) {
    const percent = text.endsWith("%");
    const value = Number(percent ? text.slice(0, -1) : text);
    return { kind: "number", value: percent ? value / 100 : value };
  }
  if (/^(TRUE|FALSE)$/i.test(text)) return { kind: "boolean", value: text.toUpperCase() === "TRUE" };
  if (REFERENCE.test(text) || NAME.test(text)) return { kind: "reference", address: text };
  return { kind: "other", text };
}
