/**
 * A seeded adversarial suite beside the random fuzz of robustness.test.ts: instead of random
 * values it generates attacks of the classes the hardening review found (issue 14), many per
 * class, from a fixed seed so any failure reproduces. Each test's title gives its case count.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { terminalSafe, writeFileAtomic } from "../src/cli/main.js";
import {
  DEFAULTS,
  InputError,
  SCENARIOS,
  pairsFromCsvRows,
  parseKey,
  parseMetric,
  parseNumberText,
  parseScenario,
  repeatedJsonKey,
  valueScenario,
  withValues,
} from "../src/core/index.js";
import * as adapter from "../src/functions/adapter.js";
import { seeded } from "./helpers/random.js";

const random = seeded(14);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const whole = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const cli = (argv: readonly string[]) => runCli(argv, { writeBytes: writeFileAtomic });

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "minepivot-adversarial-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROTOTYPE_NAMES = [
  ...new Set([...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Function.prototype), "__proto__", "prototype"]),
];

describe("seeded adversarial suite", () => {
  const valueless = ["--force", "--json", "--help", "--version"];
  const flagValues = ["no", "false", "0", "", "off", "n", "yes", "1", "true", "=", " "];
  it(`valueless flags given a value: ${valueless.length * flagValues.length} cases, each exit 2 and nothing written`, async () => {
    for (const flag of valueless) {
      for (const value of flagValues) {
        const target = join(dir, "flag.xlsx");
        writeFileSync(target, "keep");
        const result = await cli(["compare", "--scenarios", "mining", "--out", target, `${flag}=${value}`]);
        expect(result.code, `${flag}=${value}`).toBe(2);
        expect(readFileSync(target, "utf8")).toBe("keep");
      }
    }
  });

  it(`prototype member names on every name surface: ${PROTOTYPE_NAMES.length * 9} cases, never a crash`, async () => {
    for (const name of PROTOTYPE_NAMES) {
      for (const parse of [parseScenario, parseMetric, parseKey]) expect(() => parse(name), name).toThrow(InputError);
      for (const argv of [["explain", "shell", name], ["value", name], [name], ["value", "shell", "--set", `${name}=1`]]) {
        const result = await cli(argv);
        expect(result.code, argv.join(" ")).toBe(2);
        expect(result.stderr).not.toContain("internal error");
      }
      const cell = adapter.npv(name);
      expect(cell.ok === false && cell.code === "#VALUE!" && cell.message.startsWith("scenario:"), name).toBe(true);
      const range = adapter.npv("mining", [[name, 1]]);
      expect(range.ok === false && range.message.includes("unknown assumption key"), name).toBe(true);
    }
  });

  const NUMBER_CASES = 2_000;
  it(`number text in every grouping convention: ${NUMBER_CASES} numbers × 5 styles read exactly; malformed separators never misread`, () => {
    const group = (digits: string, separator: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
    for (let i = 0; i < NUMBER_CASES; i++) {
      const integer = String(whole(0, 10 ** whole(1, 9)));
      // Never three decimals: "478,593" groups thousands by the documented rule, not a decimal comma.
      const fraction = String(whole(0, 99_999))
        .padStart(5, "0")
        .slice(0, pick([1, 2, 4, 5]));
      const expected = Number(`${integer}.${fraction}`);
      const styles = [
        `${group(integer, ",")}.${fraction}`,
        `${group(integer, ".")},${fraction}`,
        `${group(integer, " ")},${fraction}`,
        `${integer},${fraction}`,
        `${integer}.${fraction}`,
      ];
      for (const text of styles) expect(parseNumberText(text), text).toBeCloseTo(expected, 9);
    }
    for (let i = 0; i < NUMBER_CASES; i++) {
      // Digits with separators dropped in at random: each accepted reading must group in threes.
      let text = "";
      for (let k = whole(1, 10); k > 0; k--) text += random() < 0.3 ? pick([",", "."]) : String(whole(0, 9));
      const value = parseNumberText(text);
      if (value === undefined) continue;
      expect(Number.isFinite(value), text).toBe(true);
      const separators = text.replace(/\d/g, "");
      if (new Set(separators).size === 2) expect(text, text).toMatch(/^\d{1,3}([.,])\d{3}(\1\d{3})*[.,]\d*$|^\d*[.,]\d*$/);
      if (separators.length >= 2 && new Set(separators).size === 1) expect(text, text).toMatch(/^\d{1,3}([.,]\d{3})+$/);
    }
  });

  const CSV_CASES = 500;
  it(`assumption CSV rows with a split decimal comma: ${CSV_CASES} cases, each refused naming its row`, () => {
    for (let i = 0; i < CSV_CASES; i++) {
      const row = whole(1, 5);
      const rows = Array.from({ length: row - 1 }, () => ["btc_price", "90000"]);
      rows.push(["power_price", String(whole(0, 999)), String(whole(0, 99_999))]);
      expect(() => pairsFromCsvRows(rows, "file")).toThrow(new RegExp(`^file row ${row}: `));
    }
  });

  const JSON_CASES = 1_000;
  it(`JSON with and without a repeated key at random depths: ${JSON_CASES} cases`, () => {
    const keyName = () => pick(["a", "b", "c", "btc_price", 'q\\"uote', "b\\\\"]);
    const build = (depth: number, repeat: boolean): string => {
      if (!repeat && (depth === 0 || random() < 0.3)) return pick(["1", '"x"', "null", "[]", '"{\\"a\\": 1, \\"a\\": 2}"']);
      if (!repeat && random() < 0.3) return `[${Array.from({ length: whole(0, 3) }, () => build(depth - 1, false)).join(", ")}]`;
      const keys = [...new Set(Array.from({ length: whole(1, 4) }, keyName))];
      if (repeat) keys.push(keys[0]!);
      return `{${keys.map((key) => `"${key}": ${build(depth - 1, false)}`).join(",\n ")}}`;
    };
    for (let i = 0; i < JSON_CASES; i++) {
      const repeat = i % 2 === 0;
      const text = `[${build(0, false)}, ${build(whole(1, 4), repeat)}]`;
      const valid = (() => {
        try {
          JSON.parse(text);
          return true;
        } catch {
          return false;
        }
      })();
      if (!valid) continue;
      expect(repeatedJsonKey(text) !== undefined, text).toBe(repeat);
    }
  });

  const CONTROL_CASES = 60;
  it(`control characters in site names: ${CONTROL_CASES} sites, none reaches the terminal raw`, async () => {
    const controls = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), "\u007f", "\u009b", "\u202e", "\u2066"].filter(
      (c) => c !== "\n" && c !== "\r",
    );
    const rows = ["name,site_mw"];
    for (let i = 0; i < CONTROL_CASES; i++) {
      const name = Array.from({ length: whole(1, 6) }, () => (random() < 0.5 ? pick(controls) : pick(["A", "[", "3", "m", "x"]))).join("");
      rows.push(`"${name.replace(/"/g, '""')}",${whole(5, 200)}`);
    }
    const file = join(dir, "controls.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    for (const extra of [[], ["--json"]]) {
      const result = await cli(["compare", "--sites", file, "--scenarios", "shell", ...extra]);
      expect(result.code).toBe(0);
      expect(terminalSafe(result.stdout)).toBe(result.stdout);
    }
  });

  const RANGE_CASES = 40;
  it(`tall ranges with blank tails and notes: ${RANGE_CASES} cases, each valued like its filled rows`, () => {
    for (let i = 0; i < RANGE_CASES; i++) {
      const filled = [
        ["lease_rate", whole(90, 180)],
        ["site_mw", whole(5, 300)],
      ];
      const tall: unknown[][] = filled.map((row) => [...row, pick(["", "note", null])]);
      for (let r = whole(100, 200_000); r > 0; r--)
        tall.push(
          pick([
            ["", "", ""],
            [null, null, null],
            ["", "", "a note"],
          ]),
        );
      expect(adapter.npv("shell", tall), `${tall.length} rows`).toEqual(adapter.npv("shell", filled));
    }
  });

  const STATES = ["absent", "file", "dangling link", "link to file", "folder"] as const;
  it(`--out targets in every state, with and without --force: ${STATES.length * 2 * 4} cases, nothing replaced unasked`, () => {
    let n = 0;
    for (const state of STATES) {
      for (const force of [false, true]) {
        for (let repeat = 0; repeat < 4; repeat++) {
          const target = join(dir, `out-${n++}.xlsx`);
          if (state === "file") writeFileSync(target, "user");
          if (state === "dangling link") symlinkSync(join(dir, `missing-${n}`), target);
          if (state === "link to file") {
            writeFileSync(join(dir, `real-${n}`), "user");
            symlinkSync(join(dir, `real-${n}`), target);
          }
          if (state === "folder") mkdirSync(target);
          const write = () => writeFileAtomic(target, new Uint8Array([1]), force);
          if (state === "absent" || (force && state !== "folder")) {
            write();
            expect(lstatSync(target).isFile()).toBe(true);
          } else {
            expect(write).toThrow(InputError);
            if (state === "file") expect(readFileSync(target, "utf8")).toBe("user");
            if (state.includes("link")) expect(lstatSync(target).isSymbolicLink()).toBe(true);
            if (state === "link to file") expect(readFileSync(join(dir, `real-${n}`), "utf8")).toBe("user");
          }
        }
      }
    }
    expect(existsSync(dir)).toBe(true);
  });

  const HASH_CASES = 400;
  it(`site against network hashrate: ${HASH_CASES} cases, refused exactly when the site out-hashes the network`, () => {
    for (let i = 0; i < HASH_CASES; i++) {
      const a = withValues(DEFAULTS, { site_mw: 10 ** (random() * 5), network_hashrate: 10 ** (random() * 4 - 1), fleet_efficiency: whole(10, 40) });
      const above = a.site_mw / a.pue_mining / a.fleet_efficiency > a.network_hashrate;
      for (const scenario of SCENARIOS.filter((s) => s === "mining")) {
        if (above) expect(() => valueScenario(scenario, a)).toThrow(/network_hashrate/);
        else expect(() => valueScenario(scenario, a)).not.toThrow(/network_hashrate/);
      }
    }
  });
});
