import type { Page } from "playwright-core";

export function importSitesAndOpenBuild(page: Page, count: number): Promise<void>;
