/**
 * The assumption parser and the registry behind it.
 */
import { describe, expect, it } from "vitest";
import { parseAssumptions, parseKey, parseNumberText, parseValue, suggestKey, withValues } from "../src/core/assumptions.js";
import { InputError } from "../src/core/errors.js";
import { ASSUMPTION_KEYS, DEFAULTS, REGISTRY, findDef, getDef, keysFor, type AssumptionDef, type AssumptionKey } from "../src/core/registry.js";

function parse(pairs: Array<readonly [unknown, unknown]>) {
  return parseAssumptions(pairs);
}

/** The thrown error, which must be an InputError. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError, nothing was thrown");
}

describe("keys", () => {
  it("are case-insensitive and treat '-' and spaces as '_'", () => {
    for (const text of ["btc_price", "BTC_PRICE", "Btc-Price", "btc price", "  BTC Price  ", "btc--price", "BTC - price"]) {
      expect(parseKey(text)).toBe("btc_price");
    }
    const { values, provided } = parse([
      ["Site-MW", 50],
      ["POWER PRICE", 30],
      ["tax_LOSS carryforward", "false"],
    ]);
    expect(values.site_mw).toBe(50);
    expect(values.power_price).toBe(30);
    expect(values.tax_loss_carryforward).toBe(0);
    expect([...provided].sort()).toEqual(["power_price", "site_mw", "tax_loss_carryforward"]);
    // Keys not given keep their defaults.
    expect(values.btc_price).toBe(DEFAULTS.btc_price);
  });

  it("an unknown key suggests the nearest one", () => {
    const error = inputError(() => parse([["btc_prise", 1]]));
    expect(error.message).toContain("btc_prise");
    expect(error.message).toContain('did you mean "btc_price"');
    expect(suggestKey("btc_prise")).toBe("btc_price");
    expect(suggestKey("hashrate grwoth")).toBe("hashrate_growth");
    expect(suggestKey("discount_rate_mine")).toBe("discount_rate_mining");
  });

  it("a key far from every valid one gets no suggestion but still an InputError", () => {
    const error = inputError(() => parse([["zzzzzzzzzzzzzzzz", 1]]));
    expect(error.message).not.toContain("did you mean");
    expect(error.message).toContain("zzzzzzzzzzzzzzzz");
  });

  it("a non-text key is an InputError", () => {
    for (const key of [42, true, {}, []]) inputError(() => parse([[key, 1]]));
  });
});

describe("numbers", () => {
  it('"10%" → 0.1, "90,000" → 90000, "$45" → 45, "1e3" → 1000, " 2.5 " → 2.5', () => {
    expect(parseNumberText("10%")).toBeCloseTo(0.1, 15);
    expect(parseNumberText("90,000")).toBe(90_000);
    expect(parseNumberText("$45")).toBe(45);
    expect(parseNumberText("1e3")).toBe(1_000);
    expect(parseNumberText(" 2.5 ")).toBe(2.5);
    expect(parseNumberText("-3.5%")).toBeCloseTo(-0.035, 15);
    expect(parseNumberText("abc")).toBeUndefined();
    expect(parseNumberText("1.2.3")).toBeUndefined();
    const { values } = parse([
      ["tax_rate", "10%"],
      ["btc_price", "90,000"],
      ["power_price", "$45"],
      ["network_hashrate", "1,045.5"],
      ["hashrate_growth", "-5%"],
    ]);
    expect(values.tax_rate).toBeCloseTo(0.1, 15);
    expect(values.btc_price).toBe(90_000);
    expect(values.power_price).toBe(45);
    expect(values.network_hashrate).toBe(1_045.5);
    expect(values.hashrate_growth).toBeCloseTo(-0.05, 15);
  });

  it("text that is not a number is an InputError naming the key", () => {
    const error = inputError(() => parse([["btc_price", "ninety thousand"]]));
    expect(error.message).toContain("btc_price");
    expect(error.message).toContain("ninety thousand");
  });

  it("integer keys reject 1.5", () => {
    for (const key of ["construction_months", "lease_term_years", "gpu_life_years", "block_height"] as const) {
      const error = inputError(() => withValues(DEFAULTS, { [key]: 1.5 }));
      expect(error.message).toContain(key);
      expect(error.message).toContain("whole number");
      expect(withValues(DEFAULTS, { [key]: 2 })[key]).toBe(2);
    }
  });

  it("an out-of-range value names the key, the value and the range", () => {
    const low = inputError(() => parse([["uptime", 0]]));
    expect(low.message).toContain("uptime");
    expect(low.message).toContain("0");
    expect(low.message).toContain("0.000001 to 1 share");
    const high = inputError(() => parse([["tax_rate", 0.7]]));
    expect(high.message).toContain("tax_rate");
    expect(high.message).toContain("0.7");
    expect(high.message).toContain("0 to 0.6");
    const price = inputError(() => parse([["btc_price", -5]]));
    expect(price.message).toMatch(/btc_price: -5 is out of range; expected a number from more than 0 to 1e8 USD/);
    const pue = inputError(() => parse([["pue_dc", "0.9"]]));
    expect(pue.message).toContain("pue_dc");
    expect(pue.message).toContain('"0.9"');
    expect(pue.message).toContain("1 to 3");
    expect(pue.argument).toBe("pue_dc");
  });

  it("bounds are inclusive unless the minimum is exclusive", () => {
    expect(withValues(DEFAULTS, { tax_rate: 0 }).tax_rate).toBe(0);
    expect(withValues(DEFAULTS, { tax_rate: 0.6 }).tax_rate).toBe(0.6);
    expect(withValues(DEFAULTS, { uptime: 1 }).uptime).toBe(1);
    inputError(() => withValues(DEFAULTS, { site_mw: 0 }));
    // Strictly positive quantities have a small positive floor (no subnormal sites or networks).
    expect(inputError(() => withValues(DEFAULTS, { site_mw: 1e-7 })).message).toContain("0.000001 to 100,000 MW");
    expect(withValues(DEFAULTS, { site_mw: 1e-6 }).site_mw).toBe(1e-6);
    inputError(() => withValues(DEFAULTS, { network_hashrate: 1e-9 }));
    inputError(() => withValues(DEFAULTS, { uptime: 1e-9 }));
    inputError(() => withValues(DEFAULTS, { btc_price: 0 }));
    expect(withValues(DEFAULTS, { site_mw: 1e-3 }).site_mw).toBe(1e-3);
  });
});

describe("dates", () => {
  it("ISO text and Excel serials, text or number", () => {
    expect(parse([["valuation_date", "2026-01-01"]]).values.valuation_date).toBe(46_023);
    expect(parse([["valuation_date", 46_023]]).values.valuation_date).toBe(46_023);
    expect(parse([["valuation_date", "46023"]]).values.valuation_date).toBe(46_023);
    expect(parse([["valuation_date", "2024-02-29"]]).values.valuation_date).toBe(45_351);
    expect(parse([["valuation_date", "2026-1-1"]]).values.valuation_date).toBe(46_023);
    expect(parse([["valuation_date", new Date(Date.UTC(2026, 0, 1))]]).values.valuation_date).toBe(46_023);
  });

  it("an impossible or out-of-range date is an InputError naming the key and the range", () => {
    for (const bad of ["2026-02-30", "2025-13-01", "next tuesday", "2005-01-01", 10, "2200-01-01"]) {
      const error = inputError(() => parse([["valuation_date", bad]]));
      expect(error.message).toContain("valuation_date");
    }
    const old = inputError(() => parse([["valuation_date", "2005-01-01"]]));
    expect(old.message).toContain("2009-01-03");
    expect(old.message).toContain("2100-12-31");
  });
});

describe("booleans", () => {
  it("TRUE/false/yes/no/0/1, text or value", () => {
    const cases: Array<[unknown, number]> = [
      ["TRUE", 1],
      ["false", 0],
      ["yes", 1],
      ["No", 0],
      ["0", 0],
      ["1", 1],
      [true, 1],
      [false, 0],
      [0, 0],
      [1, 1],
    ];
    for (const [raw, expected] of cases) {
      expect(parse([["tax_loss_carryforward", raw]]).values.tax_loss_carryforward, String(raw)).toBe(expected);
    }
  });

  it("anything else is an InputError", () => {
    for (const bad of ["maybe", 2, 0.5, -1, "2"]) {
      const error = inputError(() => parse([["tax_loss_carryforward", bad]]));
      expect(error.message).toContain("tax_loss_carryforward");
      expect(error.message).toContain("TRUE or FALSE");
    }
  });
});

describe("rows", () => {
  it('skips a header row whose key reads "key", and blank rows', () => {
    const { values, provided } = parse([
      ["Key", "Value"],
      ["site_mw", 20],
      ["", ""],
      [null, undefined],
      ["  ", null],
      ["btc_price", 80_000],
      [undefined, undefined],
    ]);
    expect(values.site_mw).toBe(20);
    expect(values.btc_price).toBe(80_000);
    expect(provided.size).toBe(2);
  });

  it('"key" after the first row is not a header: it is an unknown key', () => {
    inputError(() =>
      parse([
        ["site_mw", 20],
        ["key", "value"],
      ]),
    );
  });

  it("a value without a key is an InputError naming the row", () => {
    const error = inputError(() =>
      parse([
        ["site_mw", 20],
        ["", 5],
      ]),
    );
    expect(error.message).toContain("row 2");
  });

  it("a key given twice is an error, whatever its spelling", () => {
    const error = inputError(() =>
      parse([
        ["btc_price", 90_000],
        ["BTC Price", 80_000],
      ]),
    );
    expect(error.message).toContain("btc_price");
    expect(error.message).toContain("twice");
  });

  it("a key with an empty value is an InputError (not silently the default)", () => {
    const error = inputError(() => parse([["btc_price", ""]]));
    expect(error.message).toContain("btc_price");
    expect(error.message).toContain("empty");
  });

  it("parses over a base set other than the defaults", () => {
    const base = withValues(DEFAULTS, { site_mw: 7 });
    const { values } = parseAssumptions([["btc_price", 1]], base);
    expect(values.site_mw).toBe(7);
    expect(values.btc_price).toBe(1);
    // The base is not mutated.
    expect(base.btc_price).toBe(DEFAULTS.btc_price);
  });
});

/** Every key of the contract's assumption table. */
const CONTRACT_KEYS = [
  "valuation_date",
  "site_mw",
  "power_price",
  "power_price_growth",
  "tax_rate",
  "net_debt",
  "btc_price",
  "btc_price_growth",
  "network_hashrate",
  "hashrate_growth",
  "fee_share",
  "block_height",
  "fleet_efficiency",
  "pue_mining",
  "uptime",
  "pool_fee",
  "other_opex_mining",
  "asic_price",
  "asic_life_years",
  "horizon_years_mining",
  "discount_rate_mining",
  "discount_rate_shell",
  "discount_rate_gpu",
  "pue_dc",
  "conversion_capex",
  "construction_months",
  "lease_rate",
  "lease_escalator",
  "lease_term_years",
  "noi_margin",
  "exit_cap_rate",
  "debt_ltc",
  "debt_rate",
  "debt_term_years",
  "gpu_kw",
  "gpu_capex",
  "gpu_rate",
  "gpu_rate_decline",
  "utilization",
  "gpu_life_years",
  "gpu_opex_share",
  "share_mining",
  "share_shell",
  "share_gpu",
] as const;

/** The contract's unit column, where the registry should carry the same unit. */
const CONTRACT_UNITS: Readonly<Record<string, string>> = {
  site_mw: "MW",
  power_price: "USD/MWh",
  power_price_growth: "/yr",
  tax_rate: "share",
  net_debt: "USD",
  btc_price: "USD",
  btc_price_growth: "/yr",
  network_hashrate: "EH/s",
  hashrate_growth: "/yr",
  fee_share: "share",
  block_height: "blocks",
  fleet_efficiency: "J/TH",
  pue_mining: "ratio",
  uptime: "share",
  pool_fee: "share",
  other_opex_mining: "USD/MWh",
  asic_price: "USD/TH",
  asic_life_years: "years",
  horizon_years_mining: "years",
  discount_rate_mining: "/yr",
  discount_rate_shell: "/yr",
  discount_rate_gpu: "/yr",
  pue_dc: "ratio",
  construction_months: "months",
  lease_escalator: "/yr",
  lease_term_years: "years",
  noi_margin: "share",
  exit_cap_rate: "share",
  debt_ltc: "share",
  debt_rate: "/yr",
  debt_term_years: "years",
  gpu_rate_decline: "/yr",
  utilization: "share",
  gpu_life_years: "years",
  gpu_opex_share: "share of revenue",
  share_mining: "share",
  share_shell: "share",
  share_gpu: "share",
};

describe("registry", () => {
  it("holds every key of the contract's assumption table", () => {
    for (const key of CONTRACT_KEYS) expect(ASSUMPTION_KEYS, key).toContain(key);
  });

  it("carries the contract's units", () => {
    for (const [key, unit] of Object.entries(CONTRACT_UNITS)) expect(getDef(key as AssumptionKey).unit, key).toBe(unit);
  });

  it("keys are unique, canonical (lower case, underscores) and found by findDef", () => {
    expect(new Set(ASSUMPTION_KEYS).size).toBe(ASSUMPTION_KEYS.length);
    for (const key of ASSUMPTION_KEYS) {
      expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(findDef(key)?.key).toBe(key);
    }
  });

  it("every key has unit, meaning, source, as-of, label and a default inside its range", () => {
    for (const def of REGISTRY) {
      const d: AssumptionDef = def;
      expect(d.unit.trim(), d.key).not.toBe("");
      expect(d.meaning.trim().length, d.key).toBeGreaterThan(5);
      expect(d.source.trim().length, d.key).toBeGreaterThan(3);
      expect(d.label.trim(), d.key).not.toBe("");
      expect(d.asOf, d.key).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      expect(Number.isFinite(d.default), d.key).toBe(true);
      expect(d.min, d.key).toBeLessThan(d.max);
      if (d.minExclusive) expect(d.default, d.key).toBeGreaterThan(d.min);
      else expect(d.default, d.key).toBeGreaterThanOrEqual(d.min);
      expect(d.default, d.key).toBeLessThanOrEqual(d.max);
      if (d.integer) expect(Number.isInteger(d.default), d.key).toBe(true);
      if (d.kind === "boolean") expect([d.min, d.max, d.default === 0 || d.default === 1], d.key).toEqual([0, 1, true]);
      // The default passes the parser's own validation.
      expect(parseValue(d, d.default), d.key).toBe(d.default);
      expect(d.scenarios.length, d.key).toBeGreaterThan(0);
    }
  });

  it("DEFAULTS is complete and frozen; keysFor lists the keys each scenario reads", () => {
    expect(Object.keys(DEFAULTS).sort()).toEqual([...ASSUMPTION_KEYS].sort());
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(keysFor("mining")).toContain("btc_price");
    expect(keysFor("mining")).not.toContain("lease_rate");
    expect(keysFor("powered_shell")).toContain("lease_rate");
    expect(keysFor("powered_shell")).not.toContain("gpu_rate");
    expect(keysFor("colocated_gpu")).toContain("gpu_rate");
    expect(keysFor("hybrid")).toEqual(expect.arrayContaining(["share_mining", "share_shell", "share_gpu", "btc_price", "gpu_rate", "lease_rate"]));
  });

  it("the default hybrid shares sum to 1", () => {
    expect(DEFAULTS.share_mining + DEFAULTS.share_shell + DEFAULTS.share_gpu).toBeCloseTo(1, 12);
  });
});
