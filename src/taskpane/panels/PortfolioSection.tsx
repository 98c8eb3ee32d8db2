/**
 * Portfolio: every valid site in one table (the core's portfolio table), sortable by any
 * column, exported as CSV, and inside Excel inserted on a new sheet as an Excel table.
 */
import { useMemo, useState } from "react";
import {
  Button,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import {
  InputError,
  SCENARIOS,
  SCENARIO_SHORT_LABELS,
  portfolioCells,
  portfolioColumns,
  portfolioTable,
  sortPortfolio,
  toCsv,
  type PortfolioColumn,
  type PortfolioSort,
  type PortfolioTable,
} from "../../core/index.js";
import { effectiveSite, siteProblem, type Overrides, type PaneSite } from "../model.js";
import type { ExcelBridge, HostKind } from "../office.js";
import { compactUsd } from "../results.js";
import { useStyles } from "../styles.js";

export interface PortfolioSectionProps {
  readonly sites: readonly PaneSite[];
  readonly base: Overrides;
  readonly host: HostKind;
  readonly excel?: ExcelBridge;
  readonly download: (data: Uint8Array | string, filename: string, type: string) => void;
}

const SHORT: Readonly<Record<string, string>> = {
  name: "Site",
  weight_mw: "MW",
  ...Object.fromEntries(SCENARIOS.map((s) => [`equity_per_watt:${s}`, SCENARIO_SHORT_LABELS[s]])),
  best: "Best",
  uplift_per_watt: "Uplift /W",
  uplift_usd: "Uplift USD",
  best_equity_usd: "Value USD",
};

const useOwnStyles = makeStyles({
  scroller: {
    overflowX: "auto",
    minWidth: 0,
    "&:focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  table: { fontSize: tokens.fontSizeBase200, minWidth: "560px" },
  number: {
    textAlign: "right",
    fontVariantNumeric: "tabular-nums",
    whiteSpace: "nowrap",
    paddingLeft: "4px",
    paddingRight: "4px",
    "& .fui-TableHeaderCell__button": { justifyContent: "flex-end" },
  },
  text: { paddingLeft: "4px", paddingRight: "4px", overflowWrap: "normal" },
  site: { width: "120px" },
  summary: { fontWeight: tokens.fontWeightSemibold },
  headButton: {
    background: "none",
    border: "none",
    padding: 0,
    font: "inherit",
    color: "inherit",
    cursor: "pointer",
    fontWeight: tokens.fontWeightSemibold,
    whiteSpace: "nowrap",
  },
});

function shown(column: PortfolioColumn, value: string | number): string {
  if (typeof value === "string") return value;
  if (column.unit === "USD/W") return value.toFixed(2);
  if (column.unit === "USD") return compactUsd(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

export function PortfolioSection({ sites, base, host, excel, download }: PortfolioSectionProps) {
  const styles = useStyles();
  const own = useOwnStyles();
  const [sort, setSort] = useState<PortfolioSort | undefined>(undefined);
  const [status, setStatus] = useState<{ intent: "success" | "error"; text: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const { table, skipped, error } = useMemo(() => {
    const valid = sites.filter((site) => !siteProblem(site, base, sites));
    try {
      const built: PortfolioTable = portfolioTable(
        valid.map((site) => ({ name: site.name, values: effectiveSite(site, base).values })),
        { scenarios: SCENARIOS },
      );
      return { table: built, skipped: sites.length - valid.length, error: undefined };
    } catch (caught) {
      if (caught instanceof InputError) return { table: undefined, skipped: 0, error: caught.message };
      throw caught;
    }
  }, [sites, base]);
  const sorted = table && sort ? sortPortfolio(table, sort) : table;
  const columns = portfolioColumns(SCENARIOS);
  const cells = sorted ? portfolioCells(sorted) : [];

  const toggle = (column: PortfolioColumn) => {
    const numeric = column.kind === "number";
    if (sort?.key !== column.key) setSort({ key: column.key, descending: numeric });
    else setSort({ key: column.key, descending: !sort.descending });
  };
  const exportCsv = () => download(toCsv(cells), "minepivot-portfolio.csv", "text/csv;charset=utf-8");
  const insert = async () => {
    if (!excel) return;
    setBusy(true);
    setStatus(undefined);
    try {
      const where = await excel.insertTable(cells, sorted!.rows.length, "Portfolio");
      setStatus({ intent: "success", text: `Inserted the table on the new sheet ${where.sheet} (${where.address}).` });
    } catch (caught) {
      setStatus({ intent: "error", text: `The table could not be inserted: ${(caught as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="portfolio-heading">
      <h2 id="portfolio-heading" className={styles.heading}>
        Portfolio
      </h2>
      <span className={styles.muted}>
        Equity value per watt (USD/W) by scenario for every site; the best option and its uplift over mining. Totals add MW and USD; averages weight by MW.
      </span>
      {skipped > 0 && (
        <MessageBar intent="warning">
          <MessageBarBody className={styles.wrap}>{skipped} site(s) left out: fix them on the Sites tab.</MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error">
          <MessageBarBody className={styles.wrap}>{error}</MessageBarBody>
        </MessageBar>
      )}
      {sorted && sorted.rows.length > 0 && (
        <>
          <div className={own.scroller} role="region" aria-label="Portfolio table (scrolls sideways)" tabIndex={0}>
            <Table size="extra-small" className={own.table} aria-label="Portfolio">
              <TableHeader>
                <TableRow>
                  {columns.map((column) => {
                    const active = sort?.key === column.key;
                    return (
                      <TableHeaderCell
                        key={column.key}
                        className={column.kind === "number" ? own.number : column.key === "name" ? mergeClasses(own.text, own.site) : own.text}
                        aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}
                      >
                        <button
                          type="button"
                          className={own.headButton}
                          onClick={() => toggle(column)}
                          title={`Sort by ${column.label}${column.unit ? ` (${column.unit})` : ""}`}
                        >
                          {SHORT[column.key] ?? column.label}
                          {active ? (sort.descending ? " ▼" : " ▲") : ""}
                        </button>
                      </TableHeaderCell>
                    );
                  })}
                </TableRow>
              </TableHeader>
              <TableBody>
                {cells.slice(1).map((row, r) => (
                  <TableRow key={r} className={r >= sorted.rows.length ? own.summary : undefined}>
                    {row.map((value, c) => (
                      <TableCell key={c} className={columns[c]!.kind === "number" ? own.number : own.text}>
                        {shown(columns[c]!, value)}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className={styles.row}>
            <Button onClick={exportCsv}>Export CSV</Button>
            {host === "excel" && excel && (
              <Button appearance="primary" onClick={() => void insert()} disabled={busy}>
                {busy ? "Inserting…" : "Insert into Excel as a table"}
              </Button>
            )}
          </div>
        </>
      )}
      {status && (
        <MessageBar intent={status.intent}>
          <MessageBarBody className={styles.wrap}>{status.text}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
