/**
 * A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, a byte-order mark.
 * Pure, so the CLI, the task pane (pasted CSV) and tests share it.
 */
import { InputError } from "./errors.js";

/**
 * The largest input text read (CSV or JSON, from a file or pasted): far above any portfolio
 * (10,000 sites with every key is about 8 MB) and far below what exhausts memory.
 */
export const MAX_INPUT_CHARS = 32 * 1024 * 1024;

/** Refuses text longer than MAX_INPUT_CHARS, before any work on it. */
export function checkInputSize(length: number, argument: string): void {
  if (length > MAX_INPUT_CHARS) {
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    throw new InputError(
      argument,
      mb(length),
      `at most ${mb(MAX_INPUT_CHARS)}`,
      `${argument}: ${mb(length)} is too large; at most ${mb(MAX_INPUT_CHARS)} is read`,
    );
  }
}

/** Rows of fields; a trailing empty line is dropped. */
export function parseCsv(text: string, argument = "csv"): string[][] {
  checkInputSize(text.length, argument);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let quoteLine = 0;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
      quoteLine = line;
    } else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      line++;
    } else field += ch;
  }
  if (quoted) throw new InputError(argument, `line ${quoteLine}`, "closed quotes", `${argument}: a quoted field opened on line ${quoteLine} is never closed`);
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
