/** Annual presentation of a monthly schedule: flows summed by model year, balances at year end. */
import { COLUMN_DEFS, type ColumnKey, type Schedule } from "./schedule.js";

/** Columns shown in annual tables, in order. */
export const ANNUAL_COLUMNS: readonly ColumnKey[] = [
  "revenue",
  "power_cost",
  "other_opex",
  "ebitda",
  "capex",
  "depreciation",
  "interest",
  "tax",
  "debt_draw",
  "debt_repayment",
  "equity_cash_flow",
  "terminal_value",
  "present_value",
];

export interface AnnualRow {
  readonly year: number;
  readonly values: Readonly<Partial<Record<ColumnKey, number>>>;
}

const IS_FLOW = new Map(COLUMN_DEFS.map((def) => [def.key, def.flow]));

/** Year y covers months 12(y-1)+1 .. 12y; a short last year covers what is left. */
export function annualize(schedule: Schedule, columns: readonly ColumnKey[] = ANNUAL_COLUMNS): AnnualRow[] {
  const rows: AnnualRow[] = [];
  for (let start = 0, year = 1; start < schedule.months; start += 12, year++) {
    const end = Math.min(schedule.months, start + 12);
    const values: Partial<Record<ColumnKey, number>> = {};
    for (const key of columns) {
      const column = schedule.columns[key];
      if (IS_FLOW.get(key)) {
        let sum = 0;
        for (let i = start; i < end; i++) sum += column[i]!;
        values[key] = sum;
      } else values[key] = column[end - 1]!;
    }
    rows.push({ year, values });
  }
  return rows;
}
