/**
 * The task pane: seven tabs (Results, Risk, Sites, Assumptions, Build, Audit, Formula) over one state, the
 * Fluent UI theme that follows Office's (or the browser's) light or dark mode, and the
 * services of the host it runs in, passed in so that tests can stand in for Excel.
 */
import { Suspense, lazy, useEffect, useState } from "react";
import { FluentProvider, Spinner, Tab, TabList, makeStyles, tokens, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import type { GenerateDeps } from "./generate.js";
import { exampleSite, type Overrides, type PaneSite } from "./model.js";
import type { ExcelBridge, HostKind } from "./office.js";
import type { CreateRiskWorker } from "./risk.js";
import type { SetStore } from "./storage.js";
import { PanelBoundary } from "./panels/PanelBoundary.js";
import { ResultsPanel } from "./panels/ResultsPanel.js";

// The pane opens on Results; the other panels load when first opened, which keeps the initial script small.
const BuildPanel = lazy(() => import(/* webpackChunkName: "panel-build" */ "./panels/BuildPanel.js").then((m) => ({ default: m.BuildPanel })));
const SitesPanel = lazy(() => import(/* webpackChunkName: "panel-sites" */ "./panels/SitesPanel.js").then((m) => ({ default: m.SitesPanel })));
const AssumptionsPanel = lazy(() =>
  import(/* webpackChunkName: "panel-assumptions" */ "./panels/AssumptionsPanel.js").then((m) => ({ default: m.AssumptionsPanel })),
);
const AuditPanel = lazy(() => import(/* webpackChunkName: "panel-audit" */ "./panels/AuditPanel.js").then((m) => ({ default: m.AuditPanel })));
const RiskPanel = lazy(() => import(/* webpackChunkName: "panel-risk" */ "./panels/RiskPanel.js").then((m) => ({ default: m.RiskPanel })));
const FormulaPanel = lazy(() => import(/* webpackChunkName: "panel-formula" */ "./panels/FormulaPanel.js").then((m) => ({ default: m.FormulaPanel })));

export interface PaneServices {
  readonly host: HostKind;
  readonly excel?: ExcelBridge;
  readonly store: SetStore;
  readonly generate: GenerateDeps;
  readonly download: (data: Blob | Uint8Array | string, filename: string, type: string) => void;
  readonly copy: (text: string) => Promise<void>;
  readonly today: () => string;
  /** Office's theme when the host tells it; otherwise the browser's colour scheme decides. */
  readonly officeDark?: boolean;
  /** Where the Risk view simulates: the bundled Web Worker unless given. */
  readonly createRiskWorker?: CreateRiskWorker;
}

export type TabId = "results" | "risk" | "sites" | "assumptions" | "build" | "audit" | "formula";

const TABS: ReadonlyArray<{ id: TabId; label: string }> = [
  { id: "results", label: "Results" },
  { id: "risk", label: "Risk" },
  { id: "sites", label: "Sites" },
  { id: "assumptions", label: "Assumptions" },
  { id: "build", label: "Build" },
  { id: "audit", label: "Audit" },
  { id: "formula", label: "Formula" },
];

const TAB_FONT_SIZE = "11px";

const useAppStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXXL}`,
    maxWidth: "720px",
    marginLeft: "auto",
    marginRight: "auto",
    overflowWrap: "anywhere",
  },
  frame: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2 },
  title: { display: "flex", alignItems: "baseline", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  h1: { margin: 0, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500, fontWeight: tokens.fontWeightSemibold },
  tagline: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  tabs: { flexWrap: "wrap", marginLeft: `calc(-1 * ${tokens.spacingHorizontalXS})` },
  // Seven tabs in one row at 320 px: tighter than Fluent's default padding.
  tab: {
    paddingLeft: "1px",
    paddingRight: "1px",
    // 11 px labels (Fluent's smallest step above 10 px is 12 px): seven tabs on one row at 320 px.
    "& .fui-Tab__content": { paddingLeft: 0, paddingRight: 0, fontSize: TAB_FONT_SIZE },
    "& .fui-Tab__content--reserved-space": { fontSize: TAB_FONT_SIZE },
  },
});

function prefersDark(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}

/** Dark or light: Office's theme when known, else the browser's, following its changes. */
function useDark(officeDark: boolean | undefined): boolean {
  const [browserDark, setBrowserDark] = useState(prefersDark);
  useEffect(() => {
    if (officeDark !== undefined || typeof matchMedia !== "function") return;
    const query = matchMedia("(prefers-color-scheme: dark)");
    const listener = () => setBrowserDark(query.matches);
    query.addEventListener?.("change", listener);
    return () => query.removeEventListener?.("change", listener);
  }, [officeDark]);
  return officeDark ?? browserDark;
}

export function App({ services, initialSites }: { services: PaneServices; initialSites?: PaneSite[] }) {
  const styles = useAppStyles();
  const dark = useDark(services.officeDark);
  const [tab, setTab] = useState<TabId>("results");
  // The example site is ready, so a first-time user sees its results at once and builds a workbook with one click.
  const [sites, setSites] = useState<PaneSite[]>(() => initialSites ?? [exampleSite()]);
  const [base, setBase] = useState<Overrides>({});
  const [visited, setVisited] = useState<ReadonlySet<TabId>>(() => new Set([tab]));
  const select = (next: TabId) => {
    setTab(next);
    if (!visited.has(next)) setVisited(new Set([...visited, next]));
  };
  const panel = (id: TabId) => {
    switch (id) {
      case "results":
        return <ResultsPanel sites={sites} base={base} host={services.host} excel={services.excel} download={services.download} />;
      case "risk":
        return <RiskPanel sites={sites} base={base} {...(services.createRiskWorker ? { createWorker: services.createRiskWorker } : {})} />;
      case "sites":
        return <SitesPanel sites={sites} base={base} onSitesChange={setSites} host={services.host} excel={services.excel} />;
      case "assumptions":
        return <AssumptionsPanel base={base} onBaseChange={setBase} store={services.store} download={services.download} />;
      case "build":
        return <BuildPanel sites={sites} base={base} host={services.host} deps={services.generate} today={services.today} />;
      case "audit":
        return <AuditPanel sites={sites} base={base} host={services.host} excel={services.excel} />;
      case "formula":
        return <FormulaPanel host={services.host} excel={services.excel} copy={services.copy} />;
    }
  };

  useEffect(() => {
    // A mark for the benchmark's first-render time.
    if (typeof performance !== "undefined" && typeof performance.mark === "function") performance.mark("minepivot:first-render");
  }, []);

  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} className={styles.frame} data-theme={dark ? "dark" : "light"}>
      <main className={styles.root}>
        <div className={styles.title}>
          <h1 className={styles.h1}>MinePivot</h1>
          <span className={styles.tagline}>mine or AI data centre?</span>
        </div>
        <TabList
          className={styles.tabs}
          size="small"
          selectedValue={tab}
          onTabSelect={(_, data) => select(data.value as TabId)}
          aria-label="MinePivot sections"
        >
          {TABS.map((entry) => (
            <Tab
              key={entry.id}
              className={styles.tab}
              id={`tab-${entry.id}`}
              value={entry.id}
              aria-controls={visited.has(entry.id) ? `panel-${entry.id}` : undefined}
            >
              {entry.label}
            </Tab>
          ))}
        </TabList>
        {TABS.filter((entry) => visited.has(entry.id)).map((entry) => (
          // Panels stay mounted once visited (hidden when not current), so a running generation or a half-filled form survives a tab switch.
          <div key={entry.id} role="tabpanel" id={`panel-${entry.id}`} aria-labelledby={`tab-${entry.id}`} hidden={entry.id !== tab}>
            <PanelBoundary label={entry.label}>
              <Suspense fallback={<Spinner size="small" label="Loading…" />}>{panel(entry.id)}</Suspense>
            </PanelBoundary>
          </div>
        ))}
      </main>
    </FluentProvider>
  );
}
