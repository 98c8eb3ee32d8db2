/**
 * The MINEPIVOT custom functions. Each is a top-level JSDoc'd function, because that is all
 * the metadata generator reads: it turns these comments into functions.json (ids, names,
 * descriptions, parameter help) and, at build time, appends one
 * `CustomFunctions.associate(id, fn)` call per function to this file. The ids are public API:
 * Excel stores them in users' workbooks, so they never change once shipped (a golden test
 * guards them).
 *
 * Each function only hands its arguments to the adapter and converts the outcome for Excel.
 * Help links point at the function reference on the production host; the build rewrites that
 * host in functions.json when another one is configured (see webpack.config.js).
 */
import * as adapter from "./adapter.js";
// The build appends `CustomFunctions.associate(id, fn)` calls to this file; they reach this import.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import { CustomFunctions, toExcel } from "./runtime.js";

/**
 * Equity value per watt of site power (USD/W) of a scenario: the adjusted present value of its cash flows and taxed exit, less net debt, divided by site watts.
 * @customfunction EQUITY_PER_WATT
 * @helpurl https://minepivot.example.com/docs/functions.html#equity_per_watt
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid" (aliases such as "btc", "shell", "lease", "gpu" work too).
 * @param [assumptions] Two columns, assumption key and value (further columns are ignored). Keys left out take their defaults.
 * @param [basis] "site" (default: per watt of gross site power) or "it" (per watt of critical IT power; hashing power for mining).
 * @returns {number} USD per watt of site power (or of IT power).
 */
export function equityPerWatt(scenario: unknown, assumptions?: unknown[][], basis?: unknown) {
  return toExcel(adapter.equityPerWatt(scenario, assumptions, basis));
}

/**
 * Revenue per MW of site power per year (USD/MW-yr): revenue of the first 12 operating months divided by site MW.
 * @customfunction REV_PER_MW
 * @helpurl https://minepivot.example.com/docs/functions.html#rev_per_mw
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @param [basis] "site" (default: per MW of gross site power) or "it" (per MW of critical IT power; hashing power for mining).
 * @returns {number} USD per MW of site power (or of IT power) per year.
 */
export function revPerMw(scenario: unknown, assumptions?: unknown[][], basis?: unknown) {
  return toExcel(adapter.revPerMw(scenario, assumptions, basis));
}

/**
 * EBITDA per MW of site power per year (USD/MW-yr): EBITDA of the first 12 operating months divided by site MW.
 * @customfunction EBITDA_PER_MW
 * @helpurl https://minepivot.example.com/docs/functions.html#ebitda_per_mw
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @param [basis] "site" (default: per MW of gross site power) or "it" (per MW of critical IT power; hashing power for mining).
 * @returns {number} USD per MW of site power (or of IT power) per year.
 */
export function ebitdaPerMw(scenario: unknown, assumptions?: unknown[][], basis?: unknown) {
  return toExcel(adapter.ebitdaPerMw(scenario, assumptions, basis));
}

/**
 * Equity value of a scenario in USD: NPV of the cash flows to equity at the scenario's discount rate, plus the discounted terminal value, less net debt.
 * @customfunction NPV
 * @helpurl https://minepivot.example.com/docs/functions.html#npv
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {number} Equity value in USD.
 */
export function npv(scenario: unknown, assumptions?: unknown[][]) {
  return toExcel(adapter.npv(scenario, assumptions));
}

/**
 * Annual equity IRR of a scenario. #NUM! where the cash flows have no unique IRR (for example a mine with no up-front investment).
 * @customfunction IRR
 * @helpurl https://minepivot.example.com/docs/functions.html#irr
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {number} Equity IRR per year (0.1 = 10 %).
 */
export function irr(scenario: unknown, assumptions?: unknown[][]) {
  return toExcel(adapter.irr(scenario, assumptions));
}

/**
 * Years until the cumulative cash flow to equity turns positive. #NUM! where it never does.
 * @customfunction PAYBACK
 * @helpurl https://minepivot.example.com/docs/functions.html#payback
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {number} Payback in years.
 */
export function payback(scenario: unknown, assumptions?: unknown[][]) {
  return toExcel(adapter.payback(scenario, assumptions));
}

/**
 * Hashprice: what one PH/s of hashrate earns in a day, in USD, at a BTC price and network hashrate.
 * @customfunction HASHPRICE
 * @helpurl https://minepivot.example.com/docs/functions.html#hashprice
 * @param btc_price BTC price in USD.
 * @param network_hashrate Network hashrate in EH/s.
 * @param [fee_share] Fees as a share of the total block reward (0.0062 = 0.62 %). Default: MinePivot's fee_share.
 * @param [block_height] Chain height, which sets the block subsidy. Default: MinePivot's block_height.
 * @returns {number} USD per PH/s per day.
 */
export function hashprice(btc_price: unknown, network_hashrate: unknown, fee_share?: unknown, block_height?: unknown) {
  return toExcel(adapter.hashpriceUsd(btc_price, network_hashrate, fee_share, block_height));
}

/**
 * Bitcoin block subsidy at a block height: 50 BTC halved every 210,000 blocks.
 * @customfunction BLOCK_SUBSIDY
 * @helpurl https://minepivot.example.com/docs/functions.html#block_subsidy
 * @param block_height Chain height (a whole number of 0 or more).
 * @returns {number} BTC per block.
 */
export function blockSubsidy(block_height: unknown) {
  return toExcel(adapter.blockSubsidyBtc(block_height));
}

/**
 * Date of the next halving, at 144 blocks a day from a block height on a date. Format the cell as a date.
 * @customfunction HALVING_DATE
 * @helpurl https://minepivot.example.com/docs/functions.html#halving_date
 * @param [block_height] Chain height on the valuation date. Default: MinePivot's block_height.
 * @param [valuation_date] The date of that height (an Excel date or "yyyy-mm-dd"). Default: MinePivot's valuation_date.
 * @returns {number} An Excel date serial number.
 */
export function halvingDate(block_height?: unknown, valuation_date?: unknown) {
  return toExcel(adapter.halvingDateSerial(block_height, valuation_date));
}

/**
 * Cost to mine one BTC over the first 12 months, in USD: "cash" counts power and other opex; "all_in" adds fleet depreciation.
 * @customfunction COST_TO_MINE
 * @helpurl https://minepivot.example.com/docs/functions.html#cost_to_mine
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @param [basis] "cash" (the default) or "all_in".
 * @returns {number} USD per BTC.
 */
export function costToMine(assumptions?: unknown[][], basis?: unknown) {
  return toExcel(adapter.costToMine(assumptions, basis));
}

/**
 * Breakeven power price: the starting power price at which first-12-month mining revenue equals power plus other opex.
 * @customfunction BREAKEVEN_POWER
 * @helpurl https://minepivot.example.com/docs/functions.html#breakeven_power
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {number} USD per MWh.
 */
export function breakevenPower(assumptions?: unknown[][]) {
  return toExcel(adapter.breakevenPower(assumptions));
}

/**
 * Cash-flow schedule of a scenario, spilled with a header row: revenue, costs, EBITDA, capex, tax, debt, cash flow to equity, terminal value and present value.
 * @customfunction CASHFLOWS
 * @helpurl https://minepivot.example.com/docs/functions.html#cashflows
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @param [period] "annual" (the default: one row per model year) or "monthly".
 * @returns {any[][]} A table with a header row; amounts in USD.
 */
export function cashflows(scenario: unknown, assumptions?: unknown[][], period?: unknown) {
  return toExcel(adapter.cashflows(scenario, assumptions, period));
}

/**
 * Compares the scenarios of one site, spilled: equity value per watt, equity value, revenue and EBITDA per MW-year, IRR, payback and the uplift of each over mining.
 * @customfunction COMPARE
 * @helpurl https://minepivot.example.com/docs/functions.html#compare
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {any[][]} A table: one row per metric, one column per scenario.
 */
export function compare(assumptions?: unknown[][]) {
  return toExcel(adapter.compareTable(assumptions));
}

/**
 * Every assumption with its default value, unit, meaning, source, as-of date and allowed range, spilled. Copy the first two columns to start an assumptions range.
 * @customfunction ASSUMPTIONS
 * @helpurl https://minepivot.example.com/docs/functions.html#assumptions
 * @param [scenario] Only the keys that affect this scenario. Default: all keys.
 * @param [market] A dated market snapshot, "2025-12" or "2026-06": its values and sources instead of the defaults. Default: the defaults (2025-12).
 * @returns {any[][]} A table with a header row.
 */
export function assumptions(scenario?: unknown, market?: unknown) {
  return toExcel(adapter.assumptionsTable(scenario, market));
}

/**
 * Solves for the value of one assumption that makes a metric equal a target, searching the assumption's allowed range. #NUM! when no value in the range does.
 * @customfunction SOLVE
 * @helpurl https://minepivot.example.com/docs/functions.html#solve
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param metric The metric to hit: "equity_per_watt", "npv_usd", "rev_per_mw", "ebitda_per_mw", "irr", "payback_years", "cost_to_mine_cash", "cost_to_mine_all_in" or "breakeven_power".
 * @param target The value the metric should take, in the metric's unit.
 * @param key The assumption to solve for, such as "lease_rate" or "gpu_rate".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {number} The value of the key, in the key's unit.
 */
export function solve(scenario: unknown, metric: unknown, target: unknown, key: unknown, assumptions?: unknown[][]) {
  return toExcel(adapter.solveFor(scenario, metric, target, key, assumptions));
}

/**
 * Sensitivity table of a metric as one or two assumptions vary, spilled. Leave col_key empty for a one-way table.
 * @customfunction SENSITIVITY
 * @helpurl https://minepivot.example.com/docs/functions.html#sensitivity
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param metric The metric to show, such as "equity_per_watt" or "irr".
 * @param row_key The assumption that varies down the rows.
 * @param row_values The values of row_key: a row or column of cells.
 * @param [col_key] The assumption that varies across the columns. Empty for a one-way table.
 * @param [col_values] The values of col_key: a row or column of cells.
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {any[][]} A table: row values down the first column, column values across the first row.
 */
export function sensitivity(
  scenario: unknown,
  metric: unknown,
  row_key: unknown,
  row_values: unknown[][],
  col_key?: unknown,
  col_values?: unknown[][],
  assumptions?: unknown[][],
) {
  return toExcel(adapter.sensitivityGrid(scenario, metric, row_key, row_values, col_key, col_values, assumptions));
}

/**
 * The audit trail behind a metric, spilled: each step of the calculation, its formula in words, its value and unit.
 * @customfunction EXPLAIN
 * @helpurl https://minepivot.example.com/docs/functions.html#explain
 * @param scenario "mining", "powered_shell", "colocated_gpu" or "hybrid".
 * @param metric The metric to explain, such as "equity_per_watt" or "npv_usd".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @returns {any[][]} A table: step, formula, value, unit.
 */
export function explain(scenario: unknown, metric: unknown, assumptions?: unknown[][]) {
  return toExcel(adapter.explainTable(scenario, metric, assumptions));
}

/**
 * The public deal library, spilled: one row per AI/HPC deal signed by a bitcoin miner, with its stated terms, the rates derived from them (USD per kW-month, per IT MW-year, per site MW-year), its source and as-of date, and the reason for every empty cell.
 * @customfunction DEALS
 * @helpurl https://minepivot.example.com/docs/functions.html#deals
 * @returns {any[][]} A table with a header row of field names.
 */
export function deals() {
  return toExcel(adapter.dealsTable());
}

/**
 * One field of a public deal, such as its rent in USD per kW-month. #NUM! where the source does not give it (DEALS shows why).
 * @customfunction DEAL
 * @helpurl https://minepivot.example.com/docs/functions.html#deal
 * @param name The deal: its id, such as "hut8-fluidstack", or a word that names one deal, such as "Abernathy".
 * @param field A field of the library, such as "usd_per_kw_month", "usd_per_it_mw_year", "term_years", "escalator" or "source".
 * @returns {any} A number or text.
 */
export function deal(name: unknown, field: unknown) {
  return toExcel(adapter.dealField(name, field));
}

/**
 * Monte Carlo distribution of a scenario's equity value per watt (USD/W), spilled: mean, standard deviation, percentiles, probability of loss and of never paying back, each estimate's standard error, and for conversions the probability of beating mining on the same paths. Same seed, same numbers as minepivot simulate.
 * @customfunction SIMULATE
 * @helpurl https://minepivot.example.com/docs/functions.html#simulate
 * @param scenario "mining", "powered_shell" or "colocated_gpu" (a hybrid is not simulated).
 * @param [metric] One statistic instead of the table, such as "mean", "p5", "prob_loss" or "prob_beats_mining".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults; the risk keys (btc_price_vol, tenant_default_rate...) set the randomness.
 * @param [paths] Number of simulated paths (the range's paths row is not read). Default: 1,000. Capped so that one call takes about a second.
 * @param [seed] Seed of the random paths. Default: the range's seed, else 1.
 * @returns {any[][]} A table with a header row: statistic, value (USD/W for values, shares from 0 to 1 for probabilities); with a metric, that one number.
 */
export function simulate(scenario: unknown, metric?: unknown, assumptions?: unknown[][], paths?: unknown, seed?: unknown) {
  return toExcel(adapter.simulateTable(scenario, metric, assumptions, paths, seed));
}

/**
 * Probability that a scenario's equity value is higher than another's on the same simulated paths (common random numbers).
 * @customfunction PROB_BEATS
 * @helpurl https://minepivot.example.com/docs/functions.html#prob_beats
 * @param scenario "mining", "powered_shell" or "colocated_gpu".
 * @param [other] The scenario to beat. Default: "mining".
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @param [paths] Number of simulated paths (the range's paths row is not read). Default: 1,000. Capped so that one call takes about a second.
 * @param [seed] Seed of the random paths. Default: the range's seed, else 1.
 * @returns {number} A probability from 0 to 1.
 */
export function probBeats(scenario: unknown, other?: unknown, assumptions?: unknown[][], paths?: unknown, seed?: unknown) {
  return toExcel(adapter.probBeats(scenario, other, assumptions, paths, seed));
}

/**
 * Value of the switch option (USD/W): keep mining and convert the site (or sell it) at the best time, valued by least-squares Monte Carlo on simulated paths. With metric, the value of waiting over converting today, the probability of converting, the mean conversion month or the rule in words. Same seed, same numbers as minepivot simulate.
 * @customfunction SWITCH_VALUE
 * @helpurl https://minepivot.example.com/docs/functions.html#switch_value
 * @param [assumptions] Two columns, assumption key and value. Keys left out take their defaults.
 * @param [paths] Number of simulated paths (the range's paths row is not read), at least 4. Default: 500. Capped so that one call takes about a second.
 * @param [seed] Seed of the random paths. Default: the range's seed, else 1.
 * @param [metric] "option_value_per_watt" (the default), "value_of_waiting_per_watt", "convert_today_per_watt", "hold_value_per_watt", "mining_per_watt" (each also with "_se"), "prob_convert", "expected_conversion_month", "convert_now" (TRUE when converting today beats waiting) or "rule".
 * @param [conversion] The conversion the site may switch to: "powered_shell" (the default) or "colocated_gpu".
 * @returns {any} USD per watt of site power; a share, a month, TRUE/FALSE or text for the other metrics.
 */
export function switchValue(assumptions?: unknown[][], paths?: unknown, seed?: unknown, metric?: unknown, conversion?: unknown) {
  return toExcel(adapter.switchValue(assumptions, paths, seed, metric, conversion));
}
