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
  // Runs of ordinary characters are copied as slices, not one by one: a large file reads in
  // time proportional to its special characters, not its length.
  const special = /[",\r\n]/g;
  while (i < text.length) {
    if (quoted) {
      const close = text.indexOf('"', i);
      const end = close < 0 ? text.length : close;
      for (let at = text.indexOf("\n", i); at >= 0 && at < end; at = text.indexOf("\n", at + 1)) line++;
      field += text.slice(i, end);
      if (close < 0) break;
      if (text[close + 1] === '"') {
        field += '"';
        i = close + 2;
      } else {
        quoted = false;
        i = close + 1;
      }
      continue;
    }
    special.lastIndex = i;
    const match = special.exec(text);
    const end = match ? match.index : text.length;
    field += text.slice(i, end);
    if (!match) break;
    const ch = text[end]!;
    i = end + 1;
    if (ch === '"' && field === "") {
      quoted = true;
      quoteLine = line;
    } else if (ch === '"') field += ch;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else {
      if (ch === "\r" && text[i] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      line++;
    }
  }
  if (quoted) throw new InputError(argument, `line ${quoteLine}`, "closed quotes", `${argument}: a quoted field opened on line ${quoteLine} is never closed`);
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
