/**
 * Evaluates every formula of a workbook plan, so that the written file carries each formula's
 * result: a reader that does not recalculate (a file previewer, pandas, LibreOffice with default
 * settings) shows what Excel shows after recalculating. The results come from the plan's own
 * formulas, not from the engine, so they are right for whatever formulas the plan holds.
 *
 * Scope: the functions and operators the plan's formula lint allows (plus a few neighbours),
 * with Excel's semantics for the cases the plan meets: empty cells are 0 (or "" beside text),
 * ranges skip text and booleans in SUM, MIN and MAX, SUMPRODUCT counts non-numbers as 0,
 * comparisons order numbers < text < booleans, errors propagate. Cells are evaluated on demand
 * in dependency order. A timeline row is evaluated at once, over arrays of its months, where it
 * can be (evaluateRow); otherwise left to right, so a chain of balances (opening = previous
 * closing) needs no deep recursion.
 */
import type { CellPlan, CellValue, WorkbookPlan } from "./plan.js";
import { parseFormula, type BinaryOp, type CellRefNode, type ErrorCode, type Node } from "./formula.js";
import { toR1C1 } from "./refs.js";

export class CellError {
  constructor(readonly code: ErrorCode) {}
}

/** A cell's value: null is an empty cell. */
export type Scalar = number | string | boolean | CellError | null;

interface ArrayValue {
  readonly rows: number;
  readonly cols: number;
  /** Row-major. */
  readonly data: Scalar[];
}

type Value = Scalar | ArrayValue;
type Compiled = (col: number) => Value;

/** A timeline row's values at once, one per column; booleans as 1 and 0. */
interface Lanes {
  readonly data: Float64Array;
  readonly bool: boolean;
}

function filled(value: number, bool: boolean, n: number): Lanes {
  return { data: new Float64Array(n).fill(value), bool };
}

/** The numbers, or undefined where one is not finite (#NUM! column by column). */
function numeric(data: Float64Array): Lanes | undefined {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return undefined;
  return { data, bool: false };
}

const isArray = (v: Value): v is ArrayValue => v !== null && typeof v === "object" && !(v instanceof CellError);
const error = (code: ErrorCode): CellError => new CellError(code);
const DIV0 = error("#DIV/0!");
const NUM = error("#NUM!");
const VALUE = error("#VALUE!");
const NA = error("#N/A");
const REF = error("#REF!");
const NAME = error("#NAME?");

interface CellSlot {
  readonly plan: CellPlan;
  state: 0 | 1 | 2;
  value: Scalar;
}

interface TimelineSlot {
  readonly row: number;
  readonly firstCol: number;
  readonly lastCol: number;
  readonly formula: string;
  /**
   * The row's results: numbers unboxed (a million boxed numbers that live until the file is
   * written cost more in garbage collection than the arithmetic), anything else beside them.
   */
  readonly numbers: Float64Array;
  others: Array<Scalar | undefined> | undefined;
  /** Columns evaluated so far, from firstCol. */
  done: number;
  busy: boolean;
  fn: Compiled | undefined;
  /** The whole row has been tried at once (see evaluateRow); it is tried once. */
  rowTried: boolean;
  /** The whole row is being evaluated at once: a row that needs it is a recurrence. */
  rowBusy: boolean;
}

/**
 * One sheet row: its cells by column, and its timeline formula if it has one. Every field of
 * these slots is set when they are made, so that all have one shape and the code that reads
 * them millions of times stays fast.
 */
interface RowStore {
  readonly cells: Array<CellSlot | undefined>;
  line: TimelineSlot | undefined;
}

class SheetStore {
  readonly rows: Array<RowStore | undefined> = [];
  constructor(readonly name: string) {}

  row(row: number): RowStore {
    let store = this.rows[row];
    if (store === undefined) {
      store = { cells: [], line: undefined };
      this.rows[row] = store;
    }
    return store;
  }
}

function stored(line: TimelineSlot, k: number): Scalar {
  const other = line.others?.[k];
  return other === undefined ? line.numbers[k]! : other;
}

function finite(n: number): Scalar {
  return Number.isFinite(n) ? n : NUM;
}

function toNumber(v: Scalar): number | CellError {
  if (typeof v === "number") return v;
  if (v === null) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof CellError) return v;
  const trimmed = v.trim();
  const n = trimmed === "" ? NaN : Number(trimmed);
  return Number.isNaN(n) ? VALUE : n;
}

function toBoolean(v: Scalar): boolean | CellError {
  if (typeof v === "boolean") return v;
  if (v === null) return false;
  if (typeof v === "number") return v !== 0;
  if (v instanceof CellError) return v;
  const upper = v.toUpperCase();
  if (upper === "TRUE") return true;
  if (upper === "FALSE") return false;
  return VALUE;
}

function toText(v: Scalar): string | CellError {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (v instanceof CellError) return v;
  return String(Number(v.toPrecision(15)));
}

/** Excel's ordering: numbers < text < booleans; text without regard to case. */
function compareScalars(a: Scalar, b: Scalar): number {
  if (a === null) a = typeof b === "string" ? "" : typeof b === "boolean" ? false : 0;
  if (b === null) b = typeof a === "string" ? "" : typeof a === "boolean" ? false : 0;
  const rank = (v: Scalar) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "string") {
    const x = a.toLowerCase();
    const y = (b as string).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function binary(op: string, a: Scalar, b: Scalar): Scalar {
  if (a instanceof CellError) return a;
  if (b instanceof CellError) return b;
  switch (op) {
    case "&": {
      const x = toText(a);
      const y = toText(b);
      return x instanceof CellError ? x : y instanceof CellError ? y : x + y;
    }
    case "=":
      return compareScalars(a, b) === 0;
    case "<>":
      return compareScalars(a, b) !== 0;
    case "<":
      return compareScalars(a, b) < 0;
    case ">":
      return compareScalars(a, b) > 0;
    case "<=":
      return compareScalars(a, b) <= 0;
    case ">=":
      return compareScalars(a, b) >= 0;
  }
  const x = toNumber(a);
  if (x instanceof CellError) return x;
  const y = toNumber(b);
  if (y instanceof CellError) return y;
  switch (op) {
    case "+":
      return finite(x + y);
    case "-":
      return finite(x - y);
    case "*":
      return finite(x * y);
    case "/":
      return y === 0 ? DIV0 : finite(x / y);
    default:
      if (x === 0 && y < 0) return DIV0;
      return finite(Math.pow(x, y));
  }
}

/** Each operator on two numbers, the case that dominates a timeline. */
const NUMERIC: Readonly<Record<string, (x: number, y: number) => Scalar>> = {
  "+": (x, y) => finite(x + y),
  "-": (x, y) => finite(x - y),
  "*": (x, y) => finite(x * y),
  "/": (x, y) => (y === 0 ? DIV0 : finite(x / y)),
  "^": (x, y) => binary("^", x, y),
  "&": (x, y) => binary("&", x, y),
  "=": (x, y) => x === y,
  "<>": (x, y) => x !== y,
  "<": (x, y) => x < y,
  ">": (x, y) => x > y,
  "<=": (x, y) => x <= y,
  ">=": (x, y) => x >= y,
};

/** Applies `f` element by element, broadcasting a scalar or a single row or column. */
function broadcast(a: Value, b: Value, f: (x: Scalar, y: Scalar) => Scalar): Value {
  if (!isArray(a) && !isArray(b)) return f(a, b);
  if (!isArray(b)) return mapValue(a, (x) => f(x, b));
  if (!isArray(a)) return mapValue(b, (y) => f(a, y));
  const A = isArray(a) ? a : { rows: 1, cols: 1, data: [a] };
  const B = isArray(b) ? b : { rows: 1, cols: 1, data: [b] };
  const rows = Math.max(A.rows, B.rows);
  const cols = Math.max(A.cols, B.cols);
  const at = (m: ArrayValue, r: number, c: number): Scalar => {
    const rr = m.rows === 1 ? 0 : r;
    const cc = m.cols === 1 ? 0 : c;
    return rr < m.rows && cc < m.cols ? m.data[rr * m.cols + cc]! : NA;
  };
  const data: Scalar[] = new Array<Scalar>(rows * cols);
  if (A.rows === rows && A.cols === cols && B.rows === rows && B.cols === cols) {
    for (let i = 0; i < data.length; i++) data[i] = f(A.data[i]!, B.data[i]!);
  } else {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = f(at(A, r, c), at(B, r, c));
  }
  return { rows, cols, data };
}

function mapValue(v: Value, f: (x: Scalar) => Scalar): Value {
  return isArray(v) ? { rows: v.rows, cols: v.cols, data: v.data.map(f) } : f(v);
}

/** The scalar a cell shows for a value: an array shows its single element, else #VALUE!. */
function scalarOf(v: Value): Scalar {
  if (!isArray(v)) return v;
  return v.data.length === 1 ? v.data[0]! : VALUE;
}

/** Numbers of the arguments, as SUM, MIN and MAX see them: arrays skip non-numbers, scalars coerce. */
function numbersOf(args: Value[]): number[] | CellError {
  const out: number[] = [];
  for (const arg of args) {
    if (isArray(arg)) {
      for (const v of arg.data) {
        if (v instanceof CellError) return v;
        if (typeof v === "number") out.push(v);
      }
    } else {
      const n = toNumber(arg);
      if (n instanceof CellError) return n;
      out.push(n);
    }
  }
  return out;
}

/** Rounds half away from zero at 15 significant digits, as Excel's ROUND does. */
function round(x: number, digits: number): number {
  const d = Math.trunc(digits);
  const factor = Math.pow(10, Math.abs(d));
  const scaled = d >= 0 ? Math.abs(x) * factor : Math.abs(x) / factor;
  const r = Math.floor(Number(scaled.toPrecision(15)) + 0.5);
  return Math.sign(x) * (d >= 0 ? r / factor : r * factor);
}

/** Newton's method from the guess, as spreadsheet IRR does; #NUM! when it does not converge. */
function irr(flows: number[], guess: number): Scalar {
  if (!flows.some((v) => v > 0) || !flows.some((v) => v < 0)) return NUM;
  let rate = guess;
  for (let iteration = 0; iteration < 100; iteration++) {
    let value = 0;
    let slope = 0;
    let factor = 1;
    const base = 1 + rate;
    if (base <= 0) return NUM;
    for (let i = 0; i < flows.length; i++) {
      value += flows[i]! / factor;
      slope -= (i * flows[i]!) / (factor * base);
      factor *= base;
    }
    if (slope === 0 || !Number.isFinite(value) || !Number.isFinite(slope)) return NUM;
    const next = rate - value / slope;
    if (Math.abs(next - rate) <= 1e-12 * Math.max(1, Math.abs(rate))) return finite(next);
    rate = next;
  }
  return NUM;
}

function criterion(c: Scalar): (v: Scalar) => boolean {
  if (typeof c === "string") {
    const match = /^(<=|>=|<>|<|>|=)?(.*)$/.exec(c)!;
    const op = match[1] ?? "=";
    const text = match[2]!;
    const n = text.trim() === "" ? NaN : Number(text);
    const target: Scalar = Number.isNaN(n) ? text : n;
    return (v) => {
      if (v === null || v instanceof CellError) return false;
      if (typeof target === "number" && typeof v !== "number") return op === "<>";
      return binary(op, v, target) === true;
    };
  }
  return (v) => v !== null && !(v instanceof CellError) && compareScalars(v, c) === 0;
}

/**
 * A function's compiled arguments, read for one column. Shared functions rather than closures
 * made for each call in a formula: a workbook compiles tens of thousands of them.
 */
function all(args: readonly Compiled[], col: number): Value[] {
  return args.map((a) => a(col));
}

function scalarArg(args: readonly Compiled[], i: number, col: number, fallback?: Scalar): Scalar {
  return i < args.length ? scalarOf(args[i]!(col)) : (fallback ?? null);
}

function numberArg(args: readonly Compiled[], i: number, col: number, fallback?: number): number | CellError {
  if (i >= args.length && fallback !== undefined) return fallback;
  return toNumber(scalarArg(args, i, col));
}

function unaryNumeric(args: readonly Compiled[], f: (x: number) => Scalar): Compiled {
  if (args.length !== 1) return () => VALUE;
  return (col) =>
    mapValue(args[0]!(col), (v) => {
      const x = toNumber(v);
      return x instanceof CellError ? x : f(x);
    });
}

export interface Evaluation {
  /** The value a cell holds after calculation; null for an empty cell. */
  value(sheet: string, row: number, col: number): Scalar;
  /** The same for every cell of one sheet, without looking the sheet up each time. */
  sheet(name: string): (row: number, col: number) => Scalar;
  /**
   * A timeline row's results, every column evaluated, from its first column: the numbers, and
   * any other value at its index in `others` (where `numbers` holds nothing meaningful).
   */
  timeline(sheet: string, row: number): TimelineValues;
}

export interface TimelineValues {
  readonly numbers: Float64Array;
  readonly others: ReadonlyArray<Scalar | undefined> | undefined;
}

/** Evaluates the plan's formulas on demand; every cell is computed at most once. */
export function evaluatePlan(plan: WorkbookPlan): Evaluation {
  const stores = new Map<string, SheetStore>();
  for (const sheet of plan.sheets) {
    const store = new SheetStore(sheet.name);
    for (const cell of sheet.cells)
      store.row(cell.row).cells[cell.col] = { plan: cell, state: cell.formula === undefined ? 2 : 0, value: constant(cell.value) };
    for (const line of sheet.timelineRows) {
      store.row(line.row).line = {
        row: line.row,
        firstCol: line.firstCol,
        lastCol: line.lastCol,
        formula: line.formulaR1C1,
        numbers: new Float64Array(line.lastCol - line.firstCol + 1),
        others: undefined,
        done: 0,
        busy: false,
        fn: undefined,
        rowTried: false,
        rowBusy: false,
      };
    }
    stores.set(sheet.name.toLowerCase(), store);
  }
  const names = new Map<string, Node>();
  for (const name of plan.names) names.set(name.name.toLowerCase(), parseFormula(toR1C1(name.refersTo, 0, 0)));

  // Cells of one column or row kind share their relative form: parse each form once.
  const trees = new Map<string, Node>();
  function parsed(r1c1: string): Node {
    let tree = trees.get(r1c1);
    if (tree === undefined) {
      tree = parseFormula(r1c1);
      trees.set(r1c1, tree);
    }
    return tree;
  }

  function storeOf(sheet: string): SheetStore | undefined {
    return stores.get(sheet.toLowerCase());
  }

  function get(store: SheetStore, row: number, col: number): Scalar {
    const at = store.rows[row];
    if (at === undefined) return null;
    const slot = at.cells[col];
    if (slot !== undefined) return slot.state === 2 ? slot.value : cellValue(store, slot);
    const line = at.line;
    if (line !== undefined && col >= line.firstCol && col <= line.lastCol) {
      const k = col - line.firstCol;
      return k < line.done ? stored(line, k) : timelineValue(store, line, col);
    }
    return null;
  }

  function cellValue(store: SheetStore, slot: CellSlot): Scalar {
    if (slot.state === 2) return slot.value;
    if (slot.state === 1) return REF;
    slot.state = 1;
    const { row, col, formula } = slot.plan;
    slot.value = scalarOf(compile(parsed(toR1C1(formula!, row, col)), store, row)(col));
    slot.state = 2;
    return slot.value;
  }

  function timelineValue(store: SheetStore, line: TimelineSlot, col: number): Scalar {
    const k = col - line.firstCol;
    if (k < line.done) return stored(line, k);
    if (line.busy) return REF;
    if (line.done === 0 && !line.rowTried && evaluateRow(store, line)) return stored(line, k);
    line.busy = true;
    line.fn ??= compile(parsed(line.formula), store, line.row);
    for (let i = line.done; i <= k; i++) {
      const value = scalarOf(line.fn(line.firstCol + i));
      if (typeof value === "number") line.numbers[i] = value;
      else (line.others ??= [])[i] = value;
      line.done = i + 1;
    }
    line.busy = false;
    return stored(line, k);
  }

  /**
   * Evaluates a whole timeline row at once, operator by operator over arrays of its columns,
   * rather than column by column through the compiled closures: most rows are arithmetic on
   * rows above and on constants, and a row at once costs a small fraction of a column at a
   * time. It succeeds only where every value is a number (or a comparison's boolean inside
   * arithmetic) and every row it reads is complete or can itself be evaluated at once. A row
   * that reads itself or a row under evaluation (a balance carried from month to month), text,
   * an error, an empty cell, a range or an unlisted function make it return false, and the row
   * is then evaluated column by column as before. Both ways apply the same operations to the
   * same operands in the same order, so the numbers are the same to the last bit.
   */
  function evaluateRow(store: SheetStore, line: TimelineSlot): boolean {
    line.rowTried = true;
    line.rowBusy = true;
    const result = rowValues(parsed(line.formula), store, line.row, line.firstCol, line.numbers.length);
    line.rowBusy = false;
    // A cell the row needs may have evaluated the row column by column meanwhile: keep that.
    if (result === undefined || result.bool || line.done > 0) return false;
    line.numbers.set(result.data);
    line.done = line.numbers.length;
    return true;
  }

  /** The values of `node` for the `n` columns from `firstCol` of `row`, or undefined (see evaluateRow). */
  function rowValues(node: Node, store: SheetStore, row: number, firstCol: number, n: number): Lanes | undefined {
    switch (node.k) {
      case "num":
        return filled(node.v, false, n);
      case "bool":
        return filled(node.v ? 1 : 0, true, n);
      case "ref":
        return rowRef(node, store, row, firstCol, n);
      case "name": {
        // A defined name is a fixed cell, the same from any row.
        const target = names.get(node.name.toLowerCase());
        return target?.k === "ref" && target.row.abs && target.col.abs ? rowRef(target, store, 0, firstCol, n) : undefined;
      }
      case "neg":
      case "pct": {
        const a = rowValues(node.a, store, row, firstCol, n);
        if (a === undefined) return undefined;
        const out = new Float64Array(n);
        const x = a.data;
        if (node.k === "neg") for (let i = 0; i < n; i++) out[i] = 0 - x[i]!;
        else for (let i = 0; i < n; i++) out[i] = x[i]! / 100;
        return numeric(out);
      }
      case "bin":
        return rowBinary(node.op, node.a, node.b, store, row, firstCol, n);
      case "fn":
        return rowFunction(node.name, node.args, store, row, firstCol, n);
      default:
        return undefined;
    }
  }

  function rowRef(node: CellRefNode, store: SheetStore, row: number, firstCol: number, n: number): Lanes | undefined {
    const target = node.sheet === undefined ? store : storeOf(node.sheet);
    const r = resolveRow(node.row, row);
    if (target === undefined || r < 0) return undefined;
    if (node.col.abs) {
      const v = get(target, r, node.col.n);
      return typeof v === "number" ? filled(v, false, n) : typeof v === "boolean" ? filled(v ? 1 : 0, true, n) : undefined;
    }
    const from = firstCol + node.col.n;
    const at = target.rows[r];
    const line = at?.line;
    if (at === undefined || line === undefined || from < line.firstCol || from + n - 1 > line.lastCol) return undefined;
    // A plan cell inside a row's columns takes precedence over its timeline formula.
    for (let c = from; c < Math.min(from + n, at.cells.length); c++) if (at.cells[c] !== undefined) return undefined;
    if (line.done < line.numbers.length) {
      // A row under evaluation is a recurrence. Any other row is completed, at once where it
      // can be, else column by column: that path does not look at rowBusy, so a row that reads
      // the one evaluated here a month earlier gets it column by column, as it always did.
      if (line.busy || line.rowBusy) return undefined;
      timelineValue(target, line, line.lastCol);
    }
    const k = from - line.firstCol;
    const others = line.others;
    if (others !== undefined) for (let i = k; i < k + n; i++) if (others[i] !== undefined) return undefined;
    return { data: line.numbers.subarray(k, k + n), bool: false };
  }

  function rowBinary(op: BinaryOp, aNode: Node, bNode: Node, store: SheetStore, row: number, firstCol: number, n: number): Lanes | undefined {
    const a = rowValues(aNode, store, row, firstCol, n);
    const b = a && rowValues(bNode, store, row, firstCol, n);
    if (a === undefined || b === undefined) return undefined;
    const x = a.data;
    const y = b.data;
    const out = new Float64Array(n);
    switch (op) {
      case "+":
        for (let i = 0; i < n; i++) out[i] = x[i]! + y[i]!;
        return numeric(out);
      case "-":
        for (let i = 0; i < n; i++) out[i] = x[i]! - y[i]!;
        return numeric(out);
      case "*":
        for (let i = 0; i < n; i++) out[i] = x[i]! * y[i]!;
        return numeric(out);
      case "/":
        for (let i = 0; i < n; i++) {
          if (y[i] === 0) return undefined;
          out[i] = x[i]! / y[i]!;
        }
        return numeric(out);
      case "^":
        for (let i = 0; i < n; i++) {
          if (x[i] === 0 && y[i]! < 0) return undefined;
          out[i] = Math.pow(x[i]!, y[i]!);
        }
        return numeric(out);
      case "&":
        return undefined;
    }
    // Booleans rank above numbers in a comparison: only numbers are compared here.
    if (a.bool || b.bool) return undefined;
    const test = NUMERIC[op]!;
    for (let i = 0; i < n; i++) out[i] = test(x[i]!, y[i]!) ? 1 : 0;
    return { data: out, bool: true };
  }

  function rowFunction(name: string, argNodes: Node[], store: SheetStore, row: number, firstCol: number, n: number): Lanes | undefined {
    const args: Float64Array[] = [];
    const kinds: boolean[] = [];
    for (const node of argNodes) {
      const a = rowValues(node, store, row, firstCol, n);
      if (a === undefined) return undefined;
      args.push(a.data);
      kinds.push(a.bool);
    }
    const out = new Float64Array(n);
    const [x, y, z] = args;
    switch (name) {
      case "MIN":
      case "MAX": {
        if (x === undefined) return undefined;
        const pick = name === "MIN" ? Math.min : Math.max;
        for (let i = 0; i < n; i++) {
          let best = x[i]!;
          for (const arg of args) best = pick(best, arg[i]!);
          out[i] = best;
        }
        return numeric(out);
      }
      case "INT":
      case "SIGN":
      case "ABS": {
        if (args.length !== 1) return undefined;
        const f = name === "INT" ? Math.floor : name === "SIGN" ? Math.sign : Math.abs;
        for (let i = 0; i < n; i++) out[i] = f(x![i]!);
        return numeric(out);
      }
      case "ROUND":
        if (x === undefined || args.length > 2) return undefined;
        for (let i = 0; i < n; i++) out[i] = round(x[i]!, y === undefined ? 0 : y[i]!);
        return numeric(out);
      case "MOD":
        if (x === undefined || y === undefined || args.length > 2) return undefined;
        for (let i = 0; i < n; i++) {
          if (y[i] === 0) return undefined;
          out[i] = x[i]! - y[i]! * Math.floor(x[i]! / y[i]!);
        }
        return numeric(out);
      case "IF":
        // Both branches are computed; either one's error or text falls back to column by column.
        if (x === undefined || y === undefined || z === undefined || args.length > 3 || kinds[1] !== kinds[2]) return undefined;
        for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? y[i]! : z[i]!;
        return { data: out, bool: kinds[1]! };
      default:
        return undefined;
    }
  }

  /**
   * The numbers of `cols` columns from `left` of a timeline row, when that is all they are (a
   * total's SUM over the months): read at once, not cell by cell. Undefined otherwise.
   */
  function timelineNumbers(store: SheetStore, row: number, left: number, cols: number): Float64Array | undefined {
    const at = store.rows[row];
    const line = at?.line;
    if (at === undefined || line === undefined || left < line.firstCol || left + cols - 1 > line.lastCol || line.busy) return undefined;
    for (let c = left; c < Math.min(left + cols, at.cells.length); c++) if (at.cells[c] !== undefined) return undefined;
    const k = left - line.firstCol;
    if (line.done < k + cols) timelineValue(store, line, left + cols - 1);
    const others = line.others;
    if (others !== undefined) for (let i = k; i < k + cols; i++) if (others[i] !== undefined) return undefined;
    return line.numbers.subarray(k, k + cols);
  }

  function range(store: SheetStore, r1: number, c1: number, r2: number, c2: number): ArrayValue {
    const top = Math.min(r1, r2);
    const left = Math.min(c1, c2);
    const rows = Math.abs(r2 - r1) + 1;
    const cols = Math.abs(c2 - c1) + 1;
    if (rows === 1) {
      const numbers = timelineNumbers(store, top, left, cols);
      if (numbers !== undefined) {
        // A plain loop: Array.from goes through the iterator, element by element.
        const data = new Array<Scalar>(cols);
        for (let i = 0; i < cols; i++) data[i] = numbers[i]!;
        return { rows, cols, data };
      }
    }
    const data = new Array<Scalar>(rows * cols).fill(null);
    for (let r = 0; r < rows; r++) {
      if (store.rows[top + r] === undefined) continue;
      for (let c = 0; c < cols; c++) data[r * cols + c] = get(store, top + r, left + c);
    }
    return { rows, cols, data };
  }

  function resolveRow(coord: CellRefNode["row"], row: number): number {
    return coord.abs ? coord.n : row + coord.n;
  }

  function compile(node: Node, store: SheetStore, row: number): Compiled {
    switch (node.k) {
      case "num":
      case "str":
      case "bool": {
        const v = node.v;
        return () => v;
      }
      case "err": {
        const v = error(node.code);
        return () => v;
      }
      case "ref": {
        const target = node.sheet === undefined ? store : storeOf(node.sheet);
        if (!target) return () => REF;
        const r = resolveRow(node.row, row);
        const { abs, n } = node.col;
        const line = target.rows[r]?.line;
        const cells = target.rows[r]?.cells;
        if (line !== undefined && cells !== undefined && !abs) {
          // The common case, a timeline cell in a relative column: straight to the row's values.
          return (col) => {
            const c = col + n;
            if (c >= line.firstCol && c <= line.lastCol && cells[c] === undefined) {
              const k = c - line.firstCol;
              return k < line.done ? stored(line, k) : timelineValue(target, line, c);
            }
            return c < 0 ? REF : get(target, r, c);
          };
        }
        return (col) => {
          const c = abs ? n : col + n;
          return r < 0 || c < 0 ? REF : get(target, r, c);
        };
      }
      case "range": {
        const target = node.from.sheet === undefined ? store : storeOf(node.from.sheet);
        if (!target) return () => REF;
        const r1 = resolveRow(node.from.row, row);
        const r2 = resolveRow(node.to.row, row);
        const { from, to } = node;
        return (col) => range(target, r1, from.col.abs ? from.col.n : col + from.col.n, r2, to.col.abs ? to.col.n : col + to.col.n);
      }
      case "name": {
        const target = names.get(node.name.toLowerCase());
        if (!target) return () => NAME;
        let compiled: Compiled | undefined;
        return (col) => (compiled ??= compile(target, store, 0))(col);
      }
      case "neg": {
        const a = compile(node.a, store, row);
        return (col) => mapValue(a(col), (x) => binary("-", 0, x));
      }
      case "pct": {
        const a = compile(node.a, store, row);
        return (col) => mapValue(a(col), (x) => binary("/", x, 100));
      }
      case "bin": {
        const a = compile(node.a, store, row);
        const b = compile(node.b, store, row);
        const op = node.op;
        const numeric = NUMERIC[op]!;
        return (col) => {
          const x = a(col);
          const y = b(col);
          if (typeof x === "number" && typeof y === "number") return numeric(x, y);
          return isArray(x) || isArray(y) ? broadcast(x, y, (p, q) => binary(op, p, q)) : binary(op, x, y);
        };
      }
      case "fn":
        return compileFunction(node.name, node.args, store, row);
    }
  }

  /**
   * SUMPRODUCT(ISERROR(range)*1), the checks' count of error cells over a whole sheet, counted
   * in place: the general path would build three arrays the size of the sheet.
   */
  function errorCount(argNodes: Node[], store: SheetStore): Compiled | undefined {
    const only = argNodes.length === 1 ? argNodes[0]! : undefined;
    if (only?.k !== "bin" || only.op !== "*" || only.b.k !== "num" || only.b.v !== 1) return undefined;
    const test = only.a;
    if (test.k !== "fn" || test.name !== "ISERROR" || test.args.length !== 1 || test.args[0]!.k !== "range") return undefined;
    const { from, to } = test.args[0]!;
    if (!from.row.abs || !from.col.abs || !to.row.abs || !to.col.abs) return undefined;
    const target = from.sheet === undefined ? store : storeOf(from.sheet);
    if (!target) return () => REF;
    const c1 = Math.min(from.col.n, to.col.n);
    const c2 = Math.max(from.col.n, to.col.n);
    return () => {
      let count = 0;
      for (let r = Math.min(from.row.n, to.row.n); r <= Math.max(from.row.n, to.row.n); r++) {
        const at = target.rows[r];
        if (at === undefined) continue;
        const line = at.line;
        if (line === undefined || line.busy) {
          for (let c = c1; c <= c2; c++) if (get(target, r, c) instanceof CellError) count++;
          continue;
        }
        // The plan cells one by one; a timeline row's other columns from its values, where
        // only what is not a number can be an error.
        for (let c = c1; c <= Math.min(c2, at.cells.length - 1); c++) if (at.cells[c] !== undefined && get(target, r, c) instanceof CellError) count++;
        const first = Math.max(c1, line.firstCol);
        const last = Math.min(c2, line.lastCol);
        if (first > last) continue;
        timelineValue(target, line, last);
        const others = line.others;
        if (others !== undefined) for (let c = first; c <= last; c++) if (at.cells[c] === undefined && others[c - line.firstCol] instanceof CellError) count++;
      }
      return count;
    };
  }

  function compileFunction(name: string, argNodes: Node[], store: SheetStore, row: number): Compiled {
    const args = argNodes.map((a) => compile(a, store, row));
    switch (name) {
      case "SUM":
        return (col) => {
          const ns = numbersOf(all(args, col));
          return ns instanceof CellError ? ns : finite(ns.reduce((s, n) => s + n, 0));
        };
      case "MIN":
      case "MAX":
        return (col) => {
          const ns = numbersOf(all(args, col));
          if (ns instanceof CellError) return ns;
          if (ns.length === 0) return 0;
          let best = ns[0]!;
          for (const n of ns) best = name === "MIN" ? Math.min(best, n) : Math.max(best, n);
          return best;
        };
      case "SUMPRODUCT": {
        const counted = errorCount(argNodes, store);
        if (counted) return counted;
        return (col) => {
          const arrays = all(args, col).map((v) => (isArray(v) ? v : { rows: 1, cols: 1, data: [v] }));
          const first = arrays[0];
          if (!first) return VALUE;
          if (arrays.some((a) => a.rows !== first.rows || a.cols !== first.cols)) return VALUE;
          let sum = 0;
          for (let i = 0; i < first.data.length; i++) {
            let product = 1;
            for (const a of arrays) {
              const v = a.data[i]!;
              if (v instanceof CellError) return v;
              product *= typeof v === "number" ? v : 0;
            }
            sum += product;
          }
          return finite(sum);
        };
      }
      case "SUMIF":
        return (col) => {
          const values = args[0]?.(col);
          const test = criterion(scalarArg(args, 1, col));
          const sums = args.length > 2 ? args[2]!(col) : values;
          if (values === undefined || !isArray(values) || sums === undefined || !isArray(sums)) return VALUE;
          let sum = 0;
          for (let i = 0; i < values.data.length; i++) {
            if (!test(values.data[i]!)) continue;
            const v = sums.data[i];
            if (v instanceof CellError) return v;
            if (typeof v === "number") sum += v;
          }
          return finite(sum);
        };
      case "IF":
        return (col) => {
          const condition = toBoolean(scalarArg(args, 0, col));
          if (condition instanceof CellError) return condition;
          if (condition) return args.length > 1 ? args[1]!(col) : true;
          return args.length > 2 ? args[2]!(col) : false;
        };
      case "IFERROR":
        return (col) => {
          const v = args[0]?.(col) ?? null;
          return isArray(v) ? mapValue(v, (x) => (x instanceof CellError ? scalarArg(args, 1, col) : x)) : v instanceof CellError ? scalarArg(args, 1, col) : v;
        };
      case "AND":
      case "OR":
        return (col) => {
          let result = name === "AND";
          for (const arg of all(args, col)) {
            for (const v of isArray(arg) ? arg.data.filter((x) => typeof x === "number" || typeof x === "boolean" || x instanceof CellError) : [arg]) {
              const b = toBoolean(v);
              if (b instanceof CellError) return b;
              result = name === "AND" ? result && b : result || b;
            }
          }
          return result;
        };
      case "NOT":
        return (col) => {
          const b = toBoolean(scalarArg(args, 0, col));
          return b instanceof CellError ? b : !b;
        };
      case "ISERROR":
        return (col) => mapValue(args[0]?.(col) ?? null, (v) => v instanceof CellError);
      case "ISNUMBER":
        return (col) => mapValue(args[0]?.(col) ?? null, (v) => typeof v === "number");
      case "ISTEXT":
        return (col) => mapValue(args[0]?.(col) ?? null, (v) => typeof v === "string");
      case "ISBLANK":
        return (col) => mapValue(args[0]?.(col) ?? null, (v) => v === null);
      case "ABS":
        return unaryNumeric(args, (x) => Math.abs(x));
      case "INT":
        return unaryNumeric(args, (x) => Math.floor(x));
      case "SIGN":
        return unaryNumeric(args, (x) => Math.sign(x));
      case "ROUND":
        return (col) => {
          const x = numberArg(args, 0, col);
          const d = numberArg(args, 1, col, 0);
          return x instanceof CellError ? x : d instanceof CellError ? d : finite(round(x, d));
        };
      case "MOD":
        return (col) => {
          const x = numberArg(args, 0, col);
          const d = numberArg(args, 1, col);
          if (x instanceof CellError) return x;
          if (d instanceof CellError) return d;
          if (d === 0) return DIV0;
          return finite(x - d * Math.floor(x / d));
        };
      case "PMT":
        return (col) => {
          const values = [numberArg(args, 0, col), numberArg(args, 1, col), numberArg(args, 2, col), numberArg(args, 3, col, 0), numberArg(args, 4, col, 0)];
          const bad = values.find((v) => v instanceof CellError);
          if (bad !== undefined) return bad;
          const [rate, nper, pv, fv, type] = values as number[];
          if (nper === 0) return NUM;
          if (rate === 0) return finite(-(pv! + fv!) / nper!);
          const growth = Math.pow(1 + rate!, nper!);
          return finite(-(rate! * (fv! + pv! * growth)) / ((1 + rate! * (type ? 1 : 0)) * (growth - 1)));
        };
      case "NPV":
        return (col) => {
          const rate = numberArg(args, 0, col);
          if (rate instanceof CellError) return rate;
          const flows = numbersOf(args.slice(1).map((a) => a(col)));
          if (flows instanceof CellError) return flows;
          if (rate === -1) return DIV0;
          let sum = 0;
          flows.forEach((v, i) => (sum += v / Math.pow(1 + rate, i + 1)));
          return finite(sum);
        };
      case "IRR":
        return (col) => {
          const flows = numbersOf(args.slice(0, 1).map((a) => a(col)));
          if (flows instanceof CellError) return flows;
          const guess = numberArg(args, 1, col, 0.1);
          return guess instanceof CellError ? guess : irr(flows, guess);
        };
      case "CHOOSE":
        return (col) => {
          const index = numberArg(args, 0, col);
          if (index instanceof CellError) return index;
          const at = Math.trunc(index);
          return at >= 1 && at < args.length ? args[at]!(col) : VALUE;
        };
      case "INDEX":
        return (col) => {
          const source = args[0]?.(col) ?? null;
          const a = isArray(source) ? source : { rows: 1, cols: 1, data: [source] };
          let r = numberArg(args, 1, col, 0);
          let c = numberArg(args, 2, col, 0);
          if (r instanceof CellError) return r;
          if (c instanceof CellError) return c;
          // One index into a single row or column counts along it.
          if (args.length === 2 && a.rows === 1) [r, c] = [1, r];
          r = Math.trunc(r);
          c = Math.trunc(c);
          if (r < 0 || c < 0 || r > a.rows || c > a.cols) return REF;
          if (r === 0 || c === 0) return r === 0 && c === 0 ? a : r === 0 ? columnOf(a, c - 1) : rowOf(a, r - 1);
          return a.data[(r - 1) * a.cols + (c - 1)]!;
        };
      case "MATCH":
        return (col) => {
          const target = scalarArg(args, 0, col);
          const source = args[1]?.(col) ?? null;
          const type = numberArg(args, 2, col, 1);
          if (target instanceof CellError) return target;
          if (type instanceof CellError) return type;
          const data = isArray(source) ? source.data : [source];
          if (type === 0) {
            const i = data.findIndex((v) => v !== null && !(v instanceof CellError) && compareScalars(v, target) === 0);
            return i < 0 ? NA : i + 1;
          }
          let found = -1;
          for (let i = 0; i < data.length; i++) {
            const v = data[i]!;
            if (v === null || v instanceof CellError) continue;
            const order = compareScalars(v, target);
            if (type > 0 ? order <= 0 : order >= 0) found = i;
            else break;
          }
          return found < 0 ? NA : found + 1;
        };
      default:
        return () => NAME;
    }
  }

  const sheetOf = (name: string): SheetStore => {
    const store = storeOf(name);
    if (!store) throw new Error(`evaluate: no sheet ${name}`);
    return store;
  };
  return {
    value: (sheet, row, col) => get(sheetOf(sheet), row, col),
    sheet(name) {
      const store = sheetOf(name);
      return (row, col) => get(store, row, col);
    },
    timeline(sheet, row) {
      const store = sheetOf(sheet);
      const line = store.rows[row]?.line;
      if (line === undefined) throw new Error(`evaluate: no timeline row ${row + 1} on ${sheet}`);
      timelineValue(store, line, line.lastCol);
      return { numbers: line.numbers, others: line.others };
    },
  };
}

function rowOf(a: ArrayValue, r: number): ArrayValue {
  return { rows: 1, cols: a.cols, data: a.data.slice(r * a.cols, (r + 1) * a.cols) };
}

function columnOf(a: ArrayValue, c: number): ArrayValue {
  return { rows: a.rows, cols: 1, data: Array.from({ length: a.rows }, (_, r) => a.data[r * a.cols + c]!) };
}

function constant(value: CellValue | undefined): Scalar {
  return value === undefined ? null : value;
}
