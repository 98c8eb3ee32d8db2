// @vitest-environment jsdom
/**
 * The Risk view in the pane: the fields are checked with messages that name the field, the
 * value and the allowed range; a run shows progress and ends in the table and histograms, whose
 * figures are the shared function's for the same inputs, paths and seed (and so the CLI's);
 * Cancel stops the run (and terminates the worker). jsdom has no Worker, so the view runs on
 * the page in slices there; a stand-in worker that answers with the real shared function
 * covers the worker's side of the protocol (the real one runs in test/taskpane-e2e.test.ts).
 */
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULTS, SCENARIO_LABELS, withValues, type SwitchSummary } from "../src/core/index.js";
import type { PaneSite } from "../src/taskpane/model.js";
import type { RiskWorkerLike } from "../src/taskpane/risk.js";
import { answerRiskRequest, computeRiskView, type RiskReply, type RiskRequest } from "../src/worker/risk.js";
import { fakeServices, renderPane } from "./helpers/taskpane.js";

afterEach(cleanup);

async function openRisk() {
  const user = userEvent.setup();
  await user.click(screen.getByRole("tab", { name: "Risk" }));
  await screen.findByRole("button", { name: "Run simulation" });
  return user;
}

async function setField(user: ReturnType<typeof userEvent.setup>, label: "Paths" | "Seed", text: string) {
  const input = screen.getByRole("textbox", { name: label });
  await user.clear(input);
  if (text !== "") await user.type(input, text);
}

const runButton = () => screen.getByRole("button", { name: "Run simulation" }) as HTMLButtonElement;

/**
 * The shared function's statistics for a request, as JSON carries them: test/risk-view.test.ts
 * shows they are `minepivot simulate --json`'s bit for bit (this file runs without Node's types).
 */
function expectedScenarios(request: RiskRequest): Record<string, Record<string, unknown>> {
  return JSON.parse(JSON.stringify(Object.fromEntries(computeRiskView(request).scenarios.map((s) => [s.scenario, s.risk]))));
}

/** What the switch option's table shows, by row. */
function shownSwitch(): Record<string, string> {
  const table = screen.getByRole("table", { name: "Switch option values" });
  return Object.fromEntries([...table.querySelectorAll("[data-switch]")].map((cell) => [cell.getAttribute("data-switch"), cell.textContent ?? ""]));
}

function expectedSwitch(o: SwitchSummary): Record<string, string> {
  const usd = (v: number, se: number) => `${v.toFixed(3)} ± ${se.toFixed(3)}`;
  return {
    option_value_per_watt: usd(o.option_value_per_watt, o.option_value_per_watt_se),
    hold_value_per_watt: usd(o.hold_value_per_watt, o.hold_value_per_watt_se),
    convert_today_per_watt: usd(o.convert_today_per_watt, o.convert_today_per_watt_se),
    mining_per_watt: usd(o.mining_per_watt, o.mining_per_watt_se),
    value_of_waiting_per_watt: usd(o.value_of_waiting_per_watt, o.value_of_waiting_per_watt_se),
    prob_convert: `${(100 * o.prob_convert).toFixed(1)} %`,
    expected_conversion_month: o.expected_conversion_month === null ? "never" : o.expected_conversion_month.toFixed(1),
  };
}

const selectSwitch = (user: ReturnType<typeof userEvent.setup>, value: "powered_shell" | "colocated_gpu" | "none") =>
  user.selectOptions(screen.getByRole("combobox", { name: /^Switch option/ }), value);

/** What the table shows, by row and scenario. */
function shownTable(): Record<string, Record<string, string>> {
  const table = screen.getByRole("table", { name: "Risk by scenario" });
  const out: Record<string, Record<string, string>> = {};
  for (const cell of table.querySelectorAll("[data-metric]")) {
    const metric = cell.getAttribute("data-metric")!;
    (out[metric] ??= {})[cell.getAttribute("data-scenario")!] = cell.textContent ?? "";
  }
  return out;
}

/** Statistics formatted as the table formats them (the CLI's text output's format). */
function expectedTable(scenarios: Record<string, Record<string, unknown>>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const put = (metric: string, scenario: string, text: string) => ((out[metric] ??= {})[scenario] = text);
  for (const [scenario, risk] of Object.entries(scenarios)) {
    const e = risk.equity_per_watt as Record<string, number>;
    put("mean", scenario, `${e.mean!.toFixed(3)} ± ${e.mean_se!.toFixed(3)}`);
    put("std", scenario, e.std!.toFixed(3));
    for (const q of ["p5", "p25", "p50", "p75", "p95"]) put(q, scenario, e[q]!.toFixed(3));
    const pct = (key: string) => {
      const p = risk[key] as number | undefined;
      return p === undefined ? "" : `${(100 * p).toFixed(1)} % ± ${(100 * (risk[`${key}_se`] as number)).toFixed(1)}`;
    };
    for (const key of ["prob_loss", "prob_never_pays_back", "prob_beats_mining"]) put(key, scenario, pct(key));
  }
  return out;
}

/** Values of the progress bar as it changes. */
function watchProgress(): { seen: number[]; stop: () => void } {
  const seen: number[] = [];
  const observer = new MutationObserver(() => {
    const bar = screen.queryByRole("progressbar", { name: "Simulation progress" });
    const value = bar?.getAttribute("aria-valuenow");
    if (value !== null && value !== undefined && seen[seen.length - 1] !== Number(value)) seen.push(Number(value));
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  return { seen, stop: () => observer.disconnect() };
}

/** A worker stand-in: answers with the real shared function, and hands the replies over when the test says. */
function heldWorker() {
  const replies: RiskReply[] = [];
  const worker: RiskWorkerLike & { terminated: boolean } = {
    onmessage: null,
    onerror: null,
    terminated: false,
    postMessage(request) {
      answerRiskRequest(structuredClone(request), (reply) => replies.push(structuredClone(reply)));
    },
    terminate() {
      this.terminated = true;
    },
  };
  const deliver = (count: number) =>
    act(() => {
      for (const reply of replies.splice(0, count)) worker.onmessage?.({ data: reply });
    });
  return { worker, replies, deliver };
}

describe("Risk view", () => {
  it("checks paths and seed, naming the field, the value and the allowed range, and disables Run", async () => {
    renderPane();
    const user = await openRisk();
    expect((screen.getByRole("textbox", { name: "Paths" }) as HTMLInputElement).value).toBe("2000");
    expect(runButton().disabled).toBe(false);
    await setField(user, "Paths", "50000");
    expect(screen.getByText('paths: "50000" is more than the pane runs; expected a whole number from 2 to 20,000 (the CLI takes up to 100,000)')).toBeTruthy();
    expect(runButton().disabled).toBe(true);
    await setField(user, "Paths", "12.5");
    expect(screen.getByText(/^paths: "12\.5" is not a whole number; expected/)).toBeTruthy();
    await setField(user, "Paths", "1");
    expect(screen.getByText(/^paths: "1" is out of range; expected .*2/)).toBeTruthy();
    await setField(user, "Paths", "3,000");
    expect(screen.queryByText(/^paths:/)).toBeNull();
    await setField(user, "Seed", "-4");
    expect(screen.getByText(/^seed: "-4" is out of range; expected .*0/)).toBeTruthy();
    expect(runButton().disabled).toBe(true);
    await setField(user, "Seed", "9");
    expect(runButton().disabled).toBe(false);
    for (const name of ["Mining", "Powered shell", "Colocated GPU"]) await user.click(screen.getByRole("checkbox", { name }));
    expect(screen.getByText("Pick at least one scenario.")).toBeTruthy();
    expect(runButton().disabled).toBe(true);
  });

  it("says why it cannot run a site whose inputs are wrong", async () => {
    renderPane(fakeServices(), [{ id: "x", name: "Broken", overrides: { site_mw: "-5" } }]);
    await openRisk();
    expect(screen.getByText(/^Cannot value Broken: site_mw: "-5" is out of range/)).toBeTruthy();
    expect(runButton().disabled).toBe(true);
  });

  it("on the page (no Worker): shows progress, then the simulation's figures for the same inputs, paths and seed, a histogram and a fan per scenario, and the switch option", async () => {
    const sites: PaneSite[] = [
      { id: "a", name: "Alpha", overrides: {} },
      { id: "b", name: "Beta", overrides: { site_mw: "60", btc_price_vol: "0.7" } },
    ];
    renderPane(fakeServices(), sites);
    const user = await openRisk();
    await user.selectOptions(screen.getByRole("combobox", { name: "Site" }), "b");
    await setField(user, "Paths", "1000");
    await setField(user, "Seed", "7");
    await selectSwitch(user, "colocated_gpu");
    const progress = watchProgress();
    await user.click(runButton());
    await screen.findByRole("table", { name: "Risk by scenario" }, { timeout: 120_000 });
    progress.stop();
    // Each scenario is a slice, and the switch option one more: the bar moves before the end.
    expect(progress.seen.some((v) => v > 0 && v < 1)).toBe(true);
    const request: RiskRequest = {
      values: withValues(DEFAULTS, { site_mw: 60, btc_price_vol: 0.7 }),
      scenarios: ["mining", "powered_shell", "colocated_gpu"],
      paths: 1000,
      seed: 7,
      switchTarget: "colocated_gpu",
    };
    const expected = expectedScenarios(request);
    expect(shownTable()).toEqual(expectedTable(expected));
    const option = computeRiskView(request).switch!;
    expect(shownSwitch()).toEqual(expectedSwitch(option));
    expect(screen.getByTestId("switch-rule").textContent).toBe(`Rule: ${option.rule}`);
    expect(screen.getByTestId("risk-note").textContent).toMatch(/1,000 paths and seed 7, computed on this page/);
    expect(screen.getByTestId("risk-note").textContent).toMatch(
      /minepivot simulate --scenarios mining,powered_shell,colocated_gpu --paths 1000 --seed 7 --switch colocated_gpu,/,
    );
    const results = screen.getByRole("region", { name: "Simulation results" });
    for (const scenario of ["mining", "powered_shell", "colocated_gpu"] as const) {
      const chart = within(results).getByRole("img", { name: new RegExp(`^Histogram of ${SCENARIO_LABELS[scenario]}'s equity per watt over 1,000 paths`) });
      // The bars count every path once.
      const counts = [...chart.querySelectorAll("rect > title")].map((t) => Number(/: ([\d,]+) paths$/.exec(t.textContent!)![1]!.replace(/,/g, "")));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
      const p50 = (expected[scenario]!.equity_per_watt as { p50: number }).p50;
      expect(chart.getAttribute("aria-label")).toContain(`median ${p50.toFixed(2)}`);
      const fan = within(results).getByRole("img", { name: new RegExp(`^Fan of ${SCENARIO_LABELS[scenario]}'s cumulative cash flow to equity by month`) });
      const bands = computeRiskView(request).scenarios.find((s) => s.scenario === scenario)!.fan;
      const last = (q: number) => bands.bands[(bands.months - 1) * 5 + q]!.toFixed(2);
      expect(fan.getAttribute("aria-label")).toContain(
        `the median is ${last(2)}, half the paths between ${last(1)} and ${last(3)}, nine in ten between ${last(0)} and ${last(4)}`,
      );
    }
    if (option.convert_now) expect(screen.getByText(/every path converts at month 0/)).toBeTruthy();
    else if (option.conversion_months.length > 0) expect(screen.getByRole("img", { name: /^Month the conversion to Colocated GPU starts/ })).toBeTruthy();
    expect(screen.queryByRole("progressbar", { name: "Simulation progress" })).toBeNull();
    // Changing an input marks the result as out of date.
    await setField(user, "Seed", "8");
    expect(screen.getByText(/inputs have changed since this run/)).toBeTruthy();
  });

  it("simulates mining with a conversion alone, as the CLI does, for P(beats mining)", async () => {
    renderPane();
    const user = await openRisk();
    for (const name of ["Mining", "Colocated GPU"]) await user.click(screen.getByRole("checkbox", { name }));
    // The switch option follows the conversion asked for, as the CLI's default does; skipped here.
    expect((screen.getByRole("combobox", { name: /^Switch option/ }) as HTMLSelectElement).value).toBe("powered_shell");
    await selectSwitch(user, "none");
    await setField(user, "Paths", "200");
    await user.click(runButton());
    await screen.findByRole("table", { name: "Risk by scenario" }, { timeout: 60_000 });
    const expected = expectedScenarios({ values: DEFAULTS, scenarios: ["powered_shell"], paths: 200, seed: 1, switchTarget: null });
    expect(shownTable()).toEqual(expectedTable(expected));
    expect(screen.queryByRole("region", { name: "Switch option" })).toBeNull();
    expect(screen.getByTestId("risk-note").textContent).toMatch(/--switch none,/);
    expect(shownTable().prob_beats_mining!.powered_shell).toMatch(/^\d+\.\d % ± \d+\.\d$/);
  });

  it("on the page: Cancel stops between slices and nothing is shown", async () => {
    renderPane();
    const user = await openRisk();
    // Twenty slices of 256 paths with a pause after each: time to click between them.
    // Clicked synchronously: user-event's own pauses between pointer events would let slices run.
    await setField(user, "Paths", "5000");
    await selectSwitch(user, "none");
    fireEvent.click(runButton());
    await screen.findByText(/^the scenarios: [\d,]+ of 15,000 valuations, on this page/, undefined, { timeout: 60_000 });
    fireEvent.click(screen.getByRole("button", { name: "Cancel simulation" }));
    await screen.findByText("Cancelled: the simulation was stopped.");
    expect(screen.queryByRole("progressbar", { name: "Simulation progress" })).toBeNull();
    // The next slice never runs: no result turns up later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(screen.queryByRole("table", { name: "Risk by scenario" })).toBeNull();
    expect(runButton().disabled).toBe(false);
    expect(screen.queryByText(/valuations, on this page/)).toBeNull();
  });

  it("in a worker: relays its progress, shows its result, and terminates it on Cancel", async () => {
    const workers: ReturnType<typeof heldWorker>[] = [];
    renderPane(
      fakeServices({
        createRiskWorker: () => {
          workers.push(heldWorker());
          return workers[workers.length - 1]!.worker;
        },
      }),
    );
    const user = await openRisk();
    await setField(user, "Paths", "1000");
    await user.click(runButton());
    const first = workers[0]!;
    // Progress from the core every 1,000 valuations, through the scenarios and then the switch option, then the view.
    const types = first.replies.map((r) => (r.type === "progress" ? r.progress.stage : r.type));
    expect(types.slice(0, 4)).toEqual(["scenarios", "scenarios", "scenarios", "switch"]);
    expect(types[types.length - 1]).toBe("result");
    await first.deliver(1);
    expect(screen.getByText("Step 1 of 2, the scenarios: 1,000 of 3,000 valuations, in a background worker")).toBeTruthy();
    expect(Number(screen.getByRole("progressbar", { name: "Simulation progress" }).getAttribute("aria-valuenow"))).toBeCloseTo(1 / 3, 9);
    await first.deliver(3);
    expect(screen.getByText(/^Step 2 of 2, the switch option: 1,000 of [\d,]+ valuations, in a background worker$/)).toBeTruthy();
    await first.deliver(first.replies.length);
    await screen.findByRole("table", { name: "Risk by scenario" });
    expect(first.worker.terminated).toBe(true);
    expect(screen.getByTestId("risk-note").textContent).toMatch(/computed in a background worker/);
    const request: RiskRequest = {
      values: DEFAULTS,
      scenarios: ["mining", "powered_shell", "colocated_gpu"],
      paths: 1000,
      seed: 1,
      switchTarget: "powered_shell",
    };
    expect(shownTable()).toEqual(expectedTable(expectedScenarios(request)));
    expect(shownSwitch()).toEqual(expectedSwitch(computeRiskView(request).switch!));

    await selectSwitch(user, "none");
    await user.click(runButton());
    const second = workers[1]!;
    await second.deliver(1);
    await user.click(screen.getByRole("button", { name: "Cancel simulation" }));
    expect(second.worker.terminated).toBe(true);
    await screen.findByText("Cancelled: the simulation was stopped.");
    // A reply that was already on its way is ignored.
    await second.deliver(second.replies.length);
    expect(screen.queryByRole("table", { name: "Risk by scenario" })).toBeNull();
  });

  it("in a worker: an error reply is shown as the run's failure", async () => {
    renderPane(
      fakeServices({
        createRiskWorker: () => {
          const worker: RiskWorkerLike = {
            onmessage: null,
            onerror: null,
            postMessage: () => setTimeout(() => worker.onerror?.({ message: "Script error." }), 0),
            terminate: () => undefined,
          };
          return worker;
        },
      }),
    );
    const user = await openRisk();
    await user.click(runButton());
    await waitFor(() => expect(screen.getByText(/^Simulation failed\. The simulation's worker failed: Script error\./)).toBeTruthy());
  });
});
