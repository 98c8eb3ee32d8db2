/**
 * Mounts the task pane: renders at once (no waiting for Office.js), then, when Office.js says
 * the page runs inside Excel, switches the services to Excel's. Outside Office (a plain
 * browser, no Office.js at all) the pane stays in browser mode: downloads instead of inserts.
 */
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { App, type PaneServices } from "./App.js";
import { detectHost, excelBridge, officeThemeIsDark, watchOfficeTheme, type HostKind } from "./office.js";
import { defaultStore, downloadFile } from "./storage.js";
import { workbookJobs } from "./workbookJobs.js";
import { XLSX_MIME_TYPE } from "../worker/workbook-protocol.js";

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

async function copy(text: string): Promise<void> {
  if (typeof navigator === "undefined" || !navigator.clipboard) throw new Error("the clipboard is not available here; select the formula and copy it");
  await navigator.clipboard.writeText(text);
}

const download = (data: Blob | Uint8Array | string, filename: string, type: string) => downloadFile(data, filename, type);

export function servicesFor(host: HostKind): PaneServices {
  const excel =
    host === "excel"
      ? excelBridge(
          () => import(/* webpackChunkName: "excel" */ "../excel/planWriter.js"),
          () => import(/* webpackChunkName: "excel" */ "../excel/newWorkbook.js"),
        )
      : undefined;
  const officeDark = host === "excel" ? officeThemeIsDark() : undefined;
  return {
    host,
    ...(excel ? { excel } : {}),
    ...(officeDark !== undefined ? { officeDark } : {}),
    store: defaultStore(host),
    generate: {
      ...workbookJobs(),
      ...(excel ? { insertPlan: excel.insertPlan, openAsNewWorkbook: excel.openAsNewWorkbook } : {}),
      download: (file, filename) => download(file, filename, XLSX_MIME_TYPE),
    },
    download,
    copy,
    today,
  };
}

function Root() {
  const [services, setServices] = useState<PaneServices>(() => servicesFor("browser"));
  useEffect(() => {
    let live = true;
    void detectHost().then((host) => {
      if (live && host === "excel") setServices(servicesFor("excel"));
    });
    return () => {
      live = false;
    };
  }, []);
  // Inside Excel, the pane follows Office's theme when the user changes it.
  useEffect(() => {
    if (services.host !== "excel") return;
    return watchOfficeTheme((dark) => setServices((current) => ({ ...current, officeDark: dark })));
  }, [services.host]);
  return <App services={services} />;
}

export function mount(container: HTMLElement): void {
  createRoot(container).render(<Root />);
}
