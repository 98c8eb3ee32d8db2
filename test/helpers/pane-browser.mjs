// Steps in the built task pane, driven by playwright-core: shared by the task pane's end-to-end
// test and its bench (plain JavaScript, so that the bench runs it without a build step).

/**
 * Replaces the pane's sites with `count` sites pasted as CSV on the Sites tab (sizes and power
 * prices varied, every other assumption the shared set's), then opens the Build tab.
 */
export async function importSitesAndOpenBuild(page, count) {
  await page.getByRole("tab", { name: "Sites" }).click();
  await page.getByRole("checkbox", { name: "Replace the current sites" }).check();
  const rows = Array.from({ length: count }, (_, i) => `Site ${i + 1},${60 + (i % 10) * 15},${28 + (i % 7) * 3}`);
  await page.getByRole("textbox", { name: "Or paste CSV" }).fill(["name,site_mw,power_price", ...rows].join("\n"));
  await page.getByRole("button", { name: "Import CSV" }).click();
  await page.getByText(`Imported ${count} sites from the CSV.`).waitFor();
  await page.getByRole("tab", { name: "Build" }).click();
  await page.getByRole("button", { name: "Generate workbook" }).waitFor();
}
