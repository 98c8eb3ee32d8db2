/**
 * A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, a byte-order mark.
 * Pure, so the CLI, the task pane (pasted CSV) and tests share it.
 */
import { InputError } from "./errors.js";

/** Rows of fields; a trailing empty line is dropped. */
export function parseCsv(text: string, argument = "csv"): string[][] {
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
