// Large portfolios through the CLI (issue 14): time and peak memory for 1,000 and 10,000 sites,
// as a table, as --json and with --out, each in its own process so the peak is that run's
// alone. Output is counted and discarded. Also: the largest workbook allowed (80 sites), and
// rejecting a 10 MB unknown key. Run: node bench/portfolio.mjs (npm run bench runs it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const mainUrl = new URL("../dist/node/cli/main.js", import.meta.url).href;

function row(label, value, unit, target) {
  const shown = value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
  const verdict = target === undefined ? "" : target.ok(value) ? `  ok (target ${target.text})` : `  MISSED (target ${target.text})`;
  console.log(`${label.padEnd(58)} ${shown.padStart(12)} ${unit}${verdict}`);
}

/**
 * Runs the CLI's `run` in a fresh process; returns its exit code, wall and CPU ms (the machine
 * may be shared: CPU time is the steadier figure), peak RSS (MB) and output bytes.
 */
function measure(argv) {
  const script = `
    const { run, readTextCapped, writeFileAtomic } = await import(${JSON.stringify(mainUrl)});
    let bytes = 0;
    const started = performance.now();
    const code = await run(${JSON.stringify(argv)}, {
      stdout: (text) => { bytes += Buffer.byteLength(text); },
      stderr: (text) => { bytes += Buffer.byteLength(text); if (process.env.SHOW) process.stderr.write(text); },
      readText: readTextCapped,
      writeBytes: writeFileAtomic,
    });
    const ms = performance.now() - started;
    const usage = process.resourceUsage();
    process.stdout.write(JSON.stringify({ code, ms, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, rssMb: usage.maxRSS / 1024, bytes }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 1 << 20 }));
}

function portfolio(dir, count) {
  const rows = ["name,site_mw,power_price,btc_price,lease_rate"];
  for (let i = 0; i < count; i++) rows.push(`Site ${i + 1},${10 + (i % 300)},${30 + (i % 40)},${70000 + (i % 97) * 1000},${100 + (i % 60)}`);
  const path = join(dir, `sites-${count}.csv`);
  writeFileSync(path, `${rows.join("\n")}\n`);
  return path;
}

console.log("\nLarge portfolios (CLI compare, all four scenarios; one process per line, peak RSS)\n");
const dir = mkdtempSync(join(tmpdir(), "minepivot-portfolio-"));
try {
  const baseline = measure(["--version"]);
  row("node + CLI loaded, nothing valued: peak memory", baseline.rssMb, "MB");
  const perSite = {};
  for (const count of [1_000, 10_000]) {
    const sites = portfolio(dir, count);
    for (const [label, extra] of [
      ["table", []],
      ["--json", ["--json"]],
      ["--out", ["--out", join(dir, `book-${count}.xlsx`)]],
    ]) {
      const result = measure(["compare", "--sites", sites, ...extra]);
      const what =
        label === "--out" ? (result.code === 2 ? "refused (limit 80 sites)" : `exit ${result.code}`) : `${(result.bytes / 1024 / 1024).toFixed(1)} MB out`;
      row(`${count.toLocaleString("en-US")} sites, ${label}: time (${what})`, result.ms, "ms");
      row(`${count.toLocaleString("en-US")} sites, ${label}: CPU time`, result.cpuMs, "ms");
      row(`${count.toLocaleString("en-US")} sites, ${label}: peak memory`, result.rssMb, "MB");
      perSite[`${label}:${count}`] = result.rssMb - baseline.rssMb;
    }
  }
  for (const label of ["table", "--json"]) {
    // Linear memory: the 10,000-site run needs at most ten times what the 1,000-site run adds.
    const ratio = perSite[`${label}:10000`] / perSite[`${label}:1000`];
    row(`memory added, 10,000 / 1,000 sites, ${label}`, ratio, "x", { text: "<= 10 x", ok: (v) => v <= 10 });
  }
  const largest = measure(["compare", "--sites", portfolio(dir, 80), "--out", join(dir, "book-80.xlsx")]);
  row(`80 sites (the most a workbook holds), --out: time (exit ${largest.code})`, largest.ms, "ms");
  row("80 sites, --out: CPU time", largest.cpuMs, "ms");
  row("80 sites, --out: peak memory", largest.rssMb, "MB");
  const keyFile = join(dir, "long-key.csv");
  writeFileSync(keyFile, `${"k".repeat(10 * 1024 * 1024)},1\n`);
  const key = measure(["value", "mining", "--assumptions", keyFile]);
  row(`a 10 MB unknown key: time to reject (exit ${key.code})`, key.ms, "ms", { text: "< 1,000 ms", ok: (v) => v < 1_000 });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
