/** A1 references for 0-based rows and columns. */

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(col: number): string {
  let name = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A sheet name as a formula prefix, quoted when it holds anything but letters, digits and _. */
export function sheetPrefix(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? `${sheet}!` : `'${sheet.replace(/'/g, "''")}'!`;
}

/** A cell reference; `absRow`/`absCol` add the $ anchors. */
export function cellRef(row: number, col: number, absRow = false, absCol = false): string {
  return `${absCol ? "$" : ""}${columnName(col)}${absRow ? "$" : ""}${row + 1}`;
}

/** An absolute reference, optionally on another sheet: 'Powered shell'!$B$7. */
export function absRef(row: number, col: number, sheet?: string): string {
  return `${sheet ? sheetPrefix(sheet) : ""}${cellRef(row, col, true, true)}`;
}

/** An absolute range on one row or one column, optionally on another sheet. */
export function absRange(row1: number, col1: number, row2: number, col2: number, sheet?: string): string {
  return `${sheet ? sheetPrefix(sheet) : ""}${cellRef(row1, col1, true, true)}:${cellRef(row2, col2, true, true)}`;
}

// Each pattern matches a string literal first, so that what looks like a reference inside one
// is passed over whole: one pass over the formula.
const A1_REF = /"(?:[^"]|"")*"|(?<![A-Za-z0-9_.])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\w(])/g;
const R1C1_REF = /"(?:[^"]|"")*"|R(\[-?\d+\]|\d+)C(\[-?\d+\]|\d+)/g;

/** A formula with every A1 reference rewritten relative to (row, col) in R1C1 form. */
export function toR1C1(formula: string, row: number, col: number): string {
  return formula.replace(A1_REF, (match, absCol: string | undefined, letters: string, absRow: string, digits: string) => {
    if (absCol === undefined) return match;
    let c = 0;
    for (let i = 0; i < letters.length; i++) c = c * 26 + letters.charCodeAt(i) - 64;
    c -= 1;
    const r = Number(digits) - 1;
    return `R${absRow ? r + 1 : `[${r - row}]`}C${absCol ? c + 1 : `[${c - col}]`}`;
  });
}

/** The A1 formula an R1C1 formula stands for in the cell at (row, col). */
export function toA1(formula: string, row: number, col: number): string {
  return formula.replace(R1C1_REF, (match, r: string | undefined, c: string) => {
    if (r === undefined) return match;
    const absRow = !r.startsWith("[");
    const absCol = !c.startsWith("[");
    const targetRow = absRow ? Number(r) - 1 : row + Number(r.slice(1, -1));
    const targetCol = absCol ? Number(c) - 1 : col + Number(c.slice(1, -1));
    return cellRef(targetRow, targetCol, absRow, absCol);
  });
}
