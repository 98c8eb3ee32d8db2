/**
 * `minepivot deals`, `--deal` and `--market`: the library as a table and as JSON, pricing like
 * a deal, and the market snapshot named on every output.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { run } from "../src/cli/main.js";
import { DEALS, DEFAULTS, averageRentUsdPerKwMonth, compare, marketAssumptions, parseMarket, valueScenario, withDeal, withValues } from "../src/core/index.js";

/** The metrics of a JSON value object without the per-IT-MW copies the CLI adds beside them. */
function siteBasis(metrics: unknown): unknown {
  return Object.fromEntries(Object.entries(metrics as Record<string, unknown>).filter(([key]) => !key.endsWith("_it")));
}

const cli = (...argv: string[]) => runCli(argv, { readText: (path) => readText(path) });

const files = new Map<string, string>();
const readText = (path: string): string => {
  const text = files.get(path);
  if (text === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
  return text;
};

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const result = await cli(...argv, "--json");
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function badInput(pattern: RegExp, ...argv: string[]): Promise<void> {
  const result = await cli(...argv);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^minepivot: error: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
}

const june = marketAssumptions(parseMarket("2026-06"));

describe("minepivot deals", () => {
  it("--json gives the contract's fields for every deal, with the reasons for nulls", async () => {
    const { deals } = (await json("deals")) as { deals: Array<Record<string, unknown>> };
    expect(deals.map((deal) => deal.id)).toEqual(DEALS.map((deal) => deal.id));
    for (const [i, deal] of deals.entries()) {
      for (const field of ["name", "date", "counterparty", "it_mw", "term_years", "tcv_usd", "usd_per_kw_month", "usd_per_it_mw_year", "source"]) {
        expect(deal, field).toHaveProperty(field, DEALS[i]![field as keyof (typeof DEALS)[number]]);
      }
      expect(deal.missing).toEqual(DEALS[i]!.missing);
    }
  });

  it("prints a table with the derived rents, one row per deal", async () => {
    const { code, stdout } = await cli("deals");
    expect(code).toBe(0);
    const hut8 = stdout.split("\n").find((line) => line.startsWith("hut8-fluidstack"))!;
    expect(hut8.split(/\s{2,}/)).toEqual(expect.arrayContaining(["2025-12-17", "245", "15", "7.00", "158.7", "1.90", "3.0 %"]));
    expect(stdout.split("\n").find((line) => line.startsWith("galaxy-coreweave"))).toContain(">15.00");
    expect(stdout).toMatch(/n\/a not public/);
  });

  it("takes no arguments", async () => {
    await badInput(/deals: unexpected argument\(s\) "hut8"/, "deals", "hut8");
  });
});

describe("--deal", () => {
  it.each(DEALS.filter((deal) => deal.kind === "lease").map((deal) => deal.id))("value shell --deal %s earns the deal's rent and says so", async (id) => {
    const deal = DEALS.find((entry) => entry.id === id)!;
    const object = (await json("value", "shell", "--deal", id)) as {
      metrics: Record<string, number>;
      deal: { id: string };
      assumptions: Array<{ key: string; value: number; source: string }>;
    };
    const expected = withDeal(DEFAULTS, deal);
    expect(siteBasis(object.metrics)).toEqual(valueScenario("powered_shell", expected).metrics);
    expect(object.deal.id).toBe(id);
    expect(Math.abs(averageRentUsdPerKwMonth(valueScenario("powered_shell", expected)) / deal.usd_per_kw_month! - 1)).toBeLessThan(0.02);
    const rate = object.assumptions.find((entry) => entry.key === "lease_rate")!;
    expect(rate.source).toMatch(new RegExp(`^Priced like ${deal.name.replace(/[()]/g, "\\$&")}`));
  });

  it("--set still wins over the deal, and the text output names the deal", async () => {
    const object = (await json("value", "shell", "--deal", "hut8", "--set", "lease_term_years=20")) as { metrics: Record<string, number> };
    expect(siteBasis(object.metrics)).toEqual(valueScenario("powered_shell", withValues(withDeal(DEFAULTS, DEALS[0]!), { lease_term_years: 20 })).metrics);
    const text = await cli("value", "shell", "--deal", "hut8");
    expect(text.stdout).toMatch(/^Priced like Hut 8 → Fluidstack \(Anthropic\), River Bend: lease_rate = 128\.016 USD\/kW-month/m);
  });

  it("an unknown or ambiguous deal is bad input naming the deals", async () => {
    await badInput(/--deal: "nope" is not a deal in the library; expected one of hut8-fluidstack/, "value", "shell", "--deal", "nope");
    await badInput(/--deal: "coreweave" matches 3 deals/, "compare", "--deal", "coreweave");
    await badInput(/--deal needs a value/, "value", "shell", "--deal");
  });
});

describe("--market", () => {
  it("values on the snapshot and names it in the JSON, with the snapshot's sources", async () => {
    const object = (await json("value", "mining", "--market", "2026-06")) as {
      market: { id: string };
      metrics: Record<string, number>;
      assumptions: Array<{ key: string; source: string; as_of: string }>;
    };
    expect(object.market.id).toBe("2026-06");
    expect(siteBasis(object.metrics)).toEqual(valueScenario("mining", june).metrics);
    expect(object.assumptions.find((entry) => entry.key === "btc_price")!.as_of).toBe("2026-06-28");
    expect(object.assumptions.find((entry) => entry.key === "power_price")!.as_of).toBe("2025-04");
  });

  it("every text and JSON output names the snapshot, the default one too", async () => {
    for (const argv of [
      ["value", "shell"],
      ["compare"],
      ["explain", "mining", "npv"],
      ["solve", "shell", "equity_per_watt", "6", "lease_rate"],
      ["assumptions"],
    ]) {
      const late = await cli(...argv);
      expect(late.stdout, argv.join(" ")).toContain("Market snapshot 2025-12: Late-2025 market (defaults)");
      const mid = await cli(...argv, "--market", "2026-06");
      expect(mid.stdout, argv.join(" ")).toContain("Market snapshot 2026-06: Mid-2026 market");
      if (argv[0] !== "assumptions" && argv[0] !== "compare") {
        expect(((await json(...argv, "--market", "mid-2026")) as { market: { id: string } }).market.id).toBe("2026-06");
      }
    }
  });

  it("compare --json keeps the contract's { sites } and names the snapshot in every value object", async () => {
    const object = (await json("compare", "--market", "2026-06")) as {
      sites: Array<{ scenarios: Record<string, { market: { id: string }; metrics: Record<string, number> }> }>;
    };
    expect(Object.keys(object)).toEqual(["sites"]);
    for (const value of Object.values(object.sites[0]!.scenarios)) expect(value.market.id).toBe("2026-06");
    expect(siteBasis(object.sites[0]!.scenarios.mining!.metrics)).toEqual(compare(june, ["mining"]).valuations.mining!.metrics);
  });

  it("assumptions --market shows the snapshot's values and sources", async () => {
    const list = (await json("assumptions", "--market", "2026-06")) as unknown as Array<{ key: string; value: number; default: number; asOf: string }>;
    const btc = list.find((entry) => entry.key === "btc_price")!;
    expect([btc.value, btc.default, btc.asOf]).toEqual([60_000, DEFAULTS.btc_price, "2026-06-28"]);
  });

  it("a market row in an assumptions file or --set chooses the snapshot; two different ones are refused", async () => {
    files.set("june.csv", "key,value\nmarket,2026-06\npower_price,40\n");
    const object = (await json("value", "mining", "--assumptions", "june.csv")) as { market: { id: string }; metrics: Record<string, number> };
    expect(object.market.id).toBe("2026-06");
    expect(siteBasis(object.metrics)).toEqual(valueScenario("mining", withValues(june, { power_price: 40 })).metrics);
    expect(((await json("value", "mining", "--set", "market=2026-06")) as { market: { id: string } }).market.id).toBe("2026-06");
    await badInput(
      /market snapshot given more than once: --market says 2025-12, --assumptions june\.csv says 2026-06/,
      "value",
      "mining",
      "--market",
      "2025-12",
      "--assumptions",
      "june.csv",
    );
    await badInput(/--market: "2030" is not a market snapshot; expected one of "2025-12", "2026-06"/, "compare", "--market", "2030");
  });

  it("the deal is priced on the snapshot's values", async () => {
    const object = (await json("value", "gpu", "--market", "2026-06", "--deal", "iren")) as { metrics: Record<string, number> };
    expect(siteBasis(object.metrics)).toEqual(
      valueScenario(
        "colocated_gpu",
        withDeal(
          june,
          DEALS.find((deal) => deal.id === "iren-microsoft")!,
        ),
      ).metrics,
    );
  });
});

describe("the launcher's workbook keeps working with a snapshot", () => {
  const dir = mkdtempSync(join(tmpdir(), "minepivot-deals-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("compare --market 2026-06 --out writes a workbook valued on the snapshot", async () => {
    const out = join(dir, "june.xlsx");
    writeFileSync(join(dir, ".keep"), "");
    let written: Uint8Array | undefined;
    let stdout = "";
    const code = await run(["compare", "--market", "2026-06", "--out", out], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      readText,
      writeBytes: (_path, bytes) => (written = bytes),
    });
    expect(code).toBe(0);
    expect(written!.length).toBeGreaterThan(10_000);
    expect(stdout).toMatch(/^Market snapshot 2026-06/);
    expect(stdout).toContain("valued 2026-07-01");
  });
});

describe("the workbook names its basis", () => {
  it("the inputs sheet cites the snapshot's sources and the cover names the snapshot", async () => {
    const { buildWorkbookPlan } = await import("../src/workbook/build.js");
    const { provenanceOf } = await import("../src/cli/context.js");
    const context = { market: parseMarket("2026-06") };
    const plan = buildWorkbookPlan([{ name: "June", values: june }], {
      provenance: (key) => provenanceOf(context, key),
      basis: "Market snapshot 2026-06: Mid-2026 market",
    });
    const texts = plan.sheets.flatMap((sheet) => sheet.cells.map((cell) => cell.value)).filter((value): value is string => typeof value === "string");
    expect(texts).toContain(parseMarket("2026-06").values.btc_price!.source);
    expect(texts).toContain("Market snapshot 2026-06: Mid-2026 market");
  });
});
