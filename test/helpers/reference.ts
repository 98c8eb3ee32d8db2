/**
 * An independent month-by-month valuation written from the conventions of issue 10 as the
 * methodology states them, not from the engine: plain arrays, 1-based months, the block
 * subsidy summed block by block, and the mine's stop month found by valuing every candidate
 * stop month from scratch (the engine uses one forward pass).
 *
 * Conventions (see docs/methodology.md):
 * - Horizon H = round(horizon_years × 12), or construction_months + 12 × lease_term_years.
 * - Mining hashes in a month only if revenue > power + variable other opex; fixed opex
 *   (USD per site MW-year) is paid every month the mine runs. A fleet is bought at
 *   first + k × life unless that is the mine's last possible month R. Stopping after S sells
 *   land + fleet at fleet_resale_share × book, net of exit_cost_share, the gain over
 *   land + book taxed with month S; S maximises value.
 * - Conversions build over C months (capex evenly), the unconverted share (C − m) / C mines
 *   while the installed fleet lives, a 1 / C slice of the fleet is sold each month at its
 *   book value at the start of the month × resale share. Rent from C + 1, stepping at each
 *   anniversary of service start. GPUs are bought at C, run gpu_life_years, are sold at
 *   retirement (residual × cost) and the hall is then leased; GPUs in service at H are sold at
 *   cost × (1 − (1 − residual) × age / life). Exit at H: rent(H + 1) × 12 × noi / cap (+ GPUs)
 *   net of exit cost, taxed on the gain over land + undepreciated capex (+ GPU book).
 * - Debt = min(ltc × capex, min service-month EBITDA / min_dscr / level payment per unit),
 *   drawn with the conversion capex, level repayment over the term from C + 1, balance at H
 *   repaid from the exit.
 * - Value = Σ unlevered flow × (1 + r)^(−m/12) + Σ (unlevered tax − tax) × (1 + debt_rate)^(−m/12)
 *   − net_debt.
 */
import type { Assumptions } from "../../src/core/registry.js";

export interface RefLines {
  n: number;
  /** First operating month, 1-based. */
  opStart: number;
  revenue: number[];
  power: number[];
  other: number[];
  ebitda: number[];
  hashing: number[];
  btc: number[];
  capex: number[];
  /** Conversion capex only (the share project debt may fund). */
  debtCapex: number[];
  sales: number[];
  gain: number[];
  dep: number[];
  exitProceeds: number[];
  exitGain: number[];
}

interface Debt {
  interest: number[];
  draw: number[];
  repay: number[];
  /** Balance repaid from the exit at the horizon. */
  exitDebt: number[];
  debt: number;
  minDscr: number | null;
}

export interface RefClosed extends Debt {
  /** Adjusted present value before net debt. */
  apv: number;
  /** Σ |PV terms|, a yardstick for tolerances where the value cancels to near zero. */
  scale: number;
  taxable: number[];
  tax: number[];
  /** Operating cash flow to equity (exit excluded), 1-based. */
  equityCash: number[];
  /** Exit to equity after its tax and the debt it repays, 1-based. */
  terminal: number[];
}

export interface RefValuation extends RefClosed {
  npv: number;
  lines: RefLines;
  stopMonth?: number;
  shutIn?: number;
  valueIfStopped?: number[];
  /** First-12-operating-month revenue per site MW. */
  revPerMw: number;
}

const BLOCKS_PER_MONTH = 4_383; // 144 a day × 30.4375 days
const HOURS_PER_MONTH = 730.5;

function zeros(n: number): number[] {
  return Array<number>(n + 1).fill(0);
}

function emptyLines(n: number, opStart: number): RefLines {
  return {
    n,
    opStart,
    revenue: zeros(n),
    power: zeros(n),
    other: zeros(n),
    ebitda: zeros(n),
    hashing: zeros(n),
    btc: zeros(n),
    capex: zeros(n),
    debtCapex: zeros(n),
    sales: zeros(n),
    gain: zeros(n),
    dep: zeros(n),
    exitProceeds: zeros(n),
    exitGain: zeros(n),
  };
}

/** Subsidy in BTC at a height: 50 BTC in satoshis, halved (integer shift) every 210,000 blocks. */
export function subsidyAt(h: number): number {
  const k = Math.floor(h / 210_000);
  return k >= 64 ? 0 : Math.floor(5_000_000_000 / Math.pow(2, k)) / 1e8;
}

/** Days from 20 Apr 2024 (block 840,000) to an Excel serial date. */
function daysSinceReference(serial: number): number {
  const referenceSerial = Date.UTC(2024, 3, 20) / 86_400_000 + 25_569;
  return serial - referenceSerial;
}

export function refBlockHeight(a: Assumptions): number {
  return a.block_height > 0 ? a.block_height : Math.max(0, 840_000 + Math.round(144 * daysSinceReference(a.valuation_date)));
}

export function refHorizon(a: Assumptions): number {
  return a.horizon_years > 0 ? Math.max(1, Math.round(a.horizon_years * 12)) : a.construction_months + 12 * a.lease_term_years;
}

interface Market {
  revenue: number[];
  power: number[];
  other: number[];
  btc: number[];
}

/** A full-site fleet hashing every month 1..n. */
function market(a: Assumptions, n: number): Market {
  const m: Market = { revenue: zeros(n), power: zeros(n), other: zeros(n), btc: zeros(n) };
  const ownThs = ((a.site_mw / a.pue_mining) * 1e6) / a.fleet_efficiency;
  const h0 = refBlockHeight(a);
  const fee = (subsidyAt(h0) * a.fee_share) / (1 - a.fee_share);
  const mwh = a.site_mw * a.uptime * HOURS_PER_MONTH;
  for (let k = 1; k <= n; k++) {
    const start = h0 + BLOCKS_PER_MONTH * (k - 1);
    let reward = 0;
    // Whole epochs at a time (the block-by-block sum, grouped by subsidy).
    for (let h = start; h < start + BLOCKS_PER_MONTH;) {
      const end = Math.min(start + BLOCKS_PER_MONTH, (Math.floor(h / 210_000) + 1) * 210_000);
      reward += (end - h) * (subsidyAt(h) + fee);
      h = end;
    }
    const networkThs = a.network_hashrate * Math.pow(1 + a.hashrate_growth, k / 12) * 1e6;
    const price = a.btc_price * Math.pow(1 + a.btc_price_growth, k / 12);
    const powerPrice = a.power_price * Math.pow(1 + a.power_price_growth, k / 12);
    m.btc[k] = (reward * ownThs * a.uptime) / networkThs;
    m.revenue[k] = m.btc[k]! * price * (1 - a.pool_fee);
    m.power[k] = mwh * powerPrice;
    m.other[k] = mwh * a.other_opex_mining;
  }
  return m;
}

function fleet(a: Assumptions): { cost: number; life: number; first: number } {
  const cost = (((a.site_mw / a.pue_mining) * 1e6) / a.fleet_efficiency) * a.asic_price;
  return { cost, life: Math.max(1, Math.round(a.asic_life_years * 12)), first: Math.round(12 * (a.asic_life_years - a.fleet_age_years)) };
}

/** Tax on the month's taxable income given the pool before it; returns [tax base, pool after]. */
function taxed(taxable: number, pool: number, carry: boolean): [number, number] {
  if (!carry) return [Math.max(0, taxable), 0];
  const used = Math.min(pool, Math.max(0, taxable));
  return [Math.max(0, taxable) - used, pool - used + Math.max(0, -taxable)];
}

function levelPerUnit(i: number, term: number): number {
  return i * term < 1e-12 ? 1 / term : i / (1 - Math.exp(-term * Math.log1p(i)));
}

function projectDebt(a: Assumptions, L: RefLines, build: number): Debt {
  const n = L.n;
  const d: Debt = { interest: zeros(n), draw: zeros(n), repay: zeros(n), exitDebt: zeros(n), debt: 0, minDscr: null };
  const capex = L.debtCapex.reduce((s, x) => s + x, 0);
  const i = a.debt_rate / 12;
  const term = Math.max(1, Math.round(a.debt_term_years * 12));
  let lowest = Infinity;
  for (let m = build + 1; m <= Math.min(build + term, n); m++) lowest = Math.min(lowest, L.ebitda[m]!);
  const cover = lowest > 0 ? lowest / a.min_dscr / levelPerUnit(i, term) : 0;
  d.debt = Math.max(0, Math.min(a.debt_ltc * capex, cover));
  if (d.debt === 0) return d;
  let balance = 0;
  let payment = 0;
  let minDscr = Infinity;
  for (let m = 1; m <= n; m++) {
    d.interest[m] = balance * i;
    if (m <= build) {
      d.draw[m] = (L.debtCapex[m]! / capex) * d.debt;
      balance += d.draw[m]!;
    } else {
      if (m === build + 1) payment = balance * levelPerUnit(i, term);
      const principal = m <= build + term ? Math.min(balance, payment - d.interest[m]!) : 0;
      d.repay[m] = principal;
      balance -= principal;
      const service = d.interest[m]! + principal;
      if (service > 0) minDscr = Math.min(minDscr, L.ebitda[m]! / service);
    }
    if (m === n) {
      d.exitDebt[m] = balance;
      balance = 0;
    }
  }
  d.minDscr = Number.isFinite(minDscr) ? minDscr : null;
  return d;
}

/** Tax, flows to equity and adjusted present value of a set of lines at `rate`. */
export function closeLines(a: Assumptions, L: RefLines, rate: number, debt?: Debt): RefClosed {
  const n = L.n;
  const d = debt ?? { interest: zeros(n), draw: zeros(n), repay: zeros(n), exitDebt: zeros(n), debt: 0, minDscr: null };
  const carry = a.tax_loss_carryforward === 1;
  const out: RefClosed = {
    apv: 0,
    scale: 0,
    taxable: zeros(n),
    tax: zeros(n),
    equityCash: zeros(n),
    terminal: zeros(n),
    interest: d.interest,
    draw: d.draw,
    repay: d.repay,
    exitDebt: d.exitDebt,
    debt: d.debt,
    minDscr: d.minDscr,
  };
  let pool = 0;
  let poolUnlevered = 0;
  for (let m = 1; m <= n; m++) {
    const operating = L.ebitda[m]! - L.dep[m]! + L.gain[m]!;
    const taxable = operating - d.interest[m]! + L.exitGain[m]!;
    const [base, poolAfter] = taxed(taxable, pool, carry);
    const [baseNoExit] = taxed(taxable - L.exitGain[m]!, pool, carry);
    pool = poolAfter;
    const [baseU, poolUAfter] = taxed(operating + L.exitGain[m]!, poolUnlevered, carry);
    poolUnlevered = poolUAfter;
    const tax = a.tax_rate * base;
    const exitTax = a.tax_rate * (base - baseNoExit);
    const taxU = a.tax_rate * baseU;
    out.taxable[m] = taxable;
    out.tax[m] = tax;
    const cash = L.ebitda[m]! - L.capex[m]! + L.sales[m]!;
    out.equityCash[m] = cash - (tax - exitTax) + d.draw[m]! - d.interest[m]! - d.repay[m]!;
    out.terminal[m] = L.exitProceeds[m]! - exitTax - d.exitDebt[m]!;
    const df = Math.pow(1 + rate, -m / 12);
    const dfDebt = Math.pow(1 + a.debt_rate, -m / 12);
    out.apv += (cash + L.exitProceeds[m]! - taxU) * df + (taxU - tax) * dfDebt;
    out.scale += (Math.abs(L.ebitda[m]!) + L.capex[m]! + Math.abs(L.sales[m]!) + Math.abs(L.exitProceeds[m]!) + taxU) * df + Math.abs(taxU - tax) * dfDebt;
  }
  return out;
}

function revPerMw(a: Assumptions, L: RefLines): number {
  let rev = 0;
  for (let m = L.opStart; m < L.opStart + 12 && m <= L.n; m++) rev += L.revenue[m]!;
  return rev / a.site_mw;
}

/**
 * Month m of a mine on `share` of the site: it hashes only if the full-site margin over power
 * and variable opex is positive; the fixed opex of the share is paid either way. Returns
 * whether it hashed.
 */
function mineMonth(L: RefLines, mk: Market, m: number, share: number, fixedFullSite: number): boolean {
  const hashes = mk.revenue[m]! > mk.power[m]! + mk.other[m]!;
  const w = hashes ? share : 0;
  L.hashing[m] = w;
  L.btc[m] = w * mk.btc[m]!;
  L.revenue[m] = w * mk.revenue[m]!;
  L.power[m] = w * mk.power[m]!;
  L.other[m] = w * mk.other[m]! + share * fixedFullSite;
  L.ebitda[m] = w * (mk.revenue[m]! - mk.power[m]! - mk.other[m]!) - share * fixedFullSite;
  return hashes;
}

/** The mine's lines if it stops after month `stop` (1 ≤ stop ≤ R), horizon n. */
function mineLines(a: Assumptions, mk: Market, n: number, runMonths: number, stop: number): { L: RefLines; shutIn: number } {
  const L = emptyLines(n, 1);
  const { cost, life, first } = fleet(a);
  const fixed = (a.fixed_opex_mining * a.site_mw) / 12;
  let bought = 0;
  let shutIn = 0;
  for (let m = 1; m <= stop; m++) {
    shutIn += mineMonth(L, mk, m, 1, fixed) ? 0 : 1;
    L.dep[m] = cost / life;
    if (m >= first && (m - first) % life === 0 && m < runMonths) {
      L.capex[m] = cost;
      bought++;
    }
  }
  // Book = opening book + fleets bought − depreciation taken.
  const book = (cost * first) / life + bought * cost - (stop * cost) / life;
  const land = a.powered_land_value * 1e6 * a.site_mw;
  const proceeds = (land + a.fleet_resale_share * book) * (1 - a.exit_cost_share);
  L.exitProceeds[stop] = proceeds;
  L.exitGain[stop] = proceeds - land - book;
  return { L, shutIn };
}

export function refMining(a: Assumptions): RefValuation {
  const n = refHorizon(a);
  const runMonths = a.horizon_years_mining > 0 ? Math.min(n, Math.max(1, Math.round(a.horizon_years_mining * 12))) : n;
  const mk = market(a, runMonths);
  const valueIfStopped: number[] = [];
  let best = -Infinity;
  let stopMonth = 1;
  for (let s = 1; s <= runMonths; s++) {
    const v = closeLines(a, mineLines(a, mk, n, runMonths, s).L, a.discount_rate_mining).apv;
    valueIfStopped.push(v);
    if (v > best) {
      best = v;
      stopMonth = s;
    }
  }
  const { L, shutIn } = mineLines(a, mk, n, runMonths, stopMonth);
  const closed = closeLines(a, L, a.discount_rate_mining);
  // Revenue per MW-year: the first 12 months of the mine as it would run (shut-ins included),
  // whatever month it is sold in: the lines of a mine that runs as long as it may.
  const running = mineLines(a, mk, n, runMonths, runMonths).L;
  return { ...closed, npv: closed.apv - a.net_debt, lines: L, stopMonth, shutIn, valueIfStopped, revPerMw: revPerMw(a, running) };
}

function rent(a: Assumptions, itKw: number, m: number): number {
  return a.lease_rate * itKw * Math.pow(1 + a.lease_escalator, Math.floor((m - a.construction_months - 1) / 12));
}

/** Construction: capex evenly, mining on the unconverted share, the fleet sold slice by slice. */
function buildLines(a: Assumptions, L: RefLines, capex: number): void {
  const C = a.construction_months;
  const mk = market(a, C);
  const { cost, life, first } = fleet(a);
  const fixed = (a.fixed_opex_mining * a.site_mw) / 12;
  for (let m = 1; m <= C; m++) {
    L.capex[m] = capex / C;
    L.debtCapex[m] = capex / C;
    const share = m <= first ? (C - m) / C : 0;
    mineMonth(L, mk, m, share, fixed);
    L.dep[m] = (share * cost) / life;
    // Book of the whole installed fleet at the start of month m, one C-th of it sold.
    const bookAtStart = Math.max(0, (cost * (first - (m - 1))) / life);
    const slice = bookAtStart / C;
    L.sales[m] = a.fleet_resale_share * slice;
    L.gain[m] = L.sales[m]! - slice;
  }
}

function lease(a: Assumptions, L: RefLines, itKw: number, from: number, to: number): void {
  for (let m = from; m <= to; m++) {
    const r = rent(a, itKw, m);
    L.revenue[m] = r;
    L.other[m] = r * (1 - a.noi_margin);
    L.ebitda[m] = r * a.noi_margin;
  }
}

/** Facility depreciation from C + 1; returns the undepreciated capex at the horizon. */
function facilityDep(a: Assumptions, L: RefLines, capex: number): number {
  const life = Math.max(1, Math.round(a.facility_life_years * 12));
  let taken = 0;
  for (let m = a.construction_months + 1; m <= Math.min(L.n, a.construction_months + life); m++) {
    L.dep[m] = L.dep[m]! + capex / life;
    taken += capex / life;
  }
  return capex - taken;
}

function finish(a: Assumptions, L: RefLines, price: number, basis: number, rate: number): RefValuation {
  const land = a.powered_land_value * 1e6 * a.site_mw;
  L.exitProceeds[L.n] = price * (1 - a.exit_cost_share);
  L.exitGain[L.n] = L.exitProceeds[L.n]! - land - basis;
  const closed = closeLines(a, L, rate, projectDebt(a, L, a.construction_months));
  return { ...closed, npv: closed.apv - a.net_debt, lines: L, revPerMw: revPerMw(a, L) };
}

export function refShell(a: Assumptions): RefValuation {
  const C = a.construction_months;
  const n = refHorizon(a);
  const L = emptyLines(n, C + 1);
  const itKw = (a.site_mw / a.pue_dc) * 1000;
  const capex = a.conversion_capex * 1e6 * (itKw / 1000);
  buildLines(a, L, capex);
  lease(a, L, itKw, C + 1, n);
  const book = facilityDep(a, L, capex);
  const price = (rent(a, itKw, n + 1) * 12 * a.noi_margin) / a.exit_cap_rate;
  return finish(a, L, price, book, a.discount_rate_shell);
}

export function refGpu(a: Assumptions): RefValuation {
  const C = a.construction_months;
  const n = refHorizon(a);
  const life = 12 * a.gpu_life_years;
  const L = emptyLines(n, C + 1);
  const itKw = (a.site_mw / a.pue_dc) * 1000;
  const capex = a.conversion_capex * 1e6 * (itKw / 1000);
  buildLines(a, L, capex);
  const gpus = itKw / a.gpu_kw;
  const gpuCost = gpus * a.gpu_capex;
  L.capex[C] = L.capex[C]! + gpuCost;
  const retire = Math.min(n, C + life);
  for (let m = C + 1; m <= retire; m++) {
    const rate = a.gpu_rate * Math.pow(1 - a.gpu_rate_decline, Math.floor((m - C - 1) / 12));
    const revenue = gpus * HOURS_PER_MONTH * a.utilization * rate;
    L.revenue[m] = revenue;
    L.power[m] = a.site_mw * HOURS_PER_MONTH * a.power_price * Math.pow(1 + a.power_price_growth, m / 12);
    L.other[m] = revenue * a.gpu_opex_share;
    L.ebitda[m] = revenue - L.power[m]! - L.other[m]!;
    L.dep[m] = gpuCost / life;
  }
  if (C + life < n) {
    L.sales[C + life] = gpuCost * a.gpu_residual_share;
    L.gain[C + life] = gpuCost * a.gpu_residual_share;
    lease(a, L, itKw, C + life + 1, n);
  }
  const book = facilityDep(a, L, capex);
  const age = n - C;
  const gpuPrice = age <= life ? gpuCost * (1 - ((1 - a.gpu_residual_share) * age) / life) : 0;
  const gpuBook = age <= life ? gpuCost * (1 - age / life) : 0;
  const price = (rent(a, itKw, n + 1) * 12 * a.noi_margin) / a.exit_cap_rate + gpuPrice;
  return finish(a, L, price, book + gpuBook, a.discount_rate_gpu);
}

export type RefScenario = "mining" | "powered_shell" | "colocated_gpu";

export function reference(scenario: RefScenario, a: Assumptions): RefValuation {
  return scenario === "mining" ? refMining(a) : scenario === "powered_shell" ? refShell(a) : refGpu(a);
}

/**
 * Hybrid: each part at its share (the parts scale with MW), then tax recomputed on the summed
 * taxable income with one loss pool; the saving is discounted at the debt rate.
 */
export function refHybrid(a: Assumptions): { npv: number; scale: number; saving: number } {
  const shares: Array<[RefScenario, number]> = [
    ["mining", a.share_mining],
    ["powered_shell", a.share_shell],
    ["colocated_gpu", a.share_gpu],
  ];
  const n = refHorizon(a);
  const taxable = zeros(n);
  const tax = zeros(n);
  let apv = 0;
  let scale = 0;
  for (const [scenario, share] of shares) {
    if (share === 0) continue;
    const part = reference(scenario, a);
    apv += share * part.apv;
    scale += share * part.scale;
    for (let m = 1; m <= n; m++) {
      taxable[m] = taxable[m]! + share * part.taxable[m]!;
      tax[m] = tax[m]! + share * part.tax[m]!;
    }
  }
  let pool = 0;
  let saving = 0;
  for (let m = 1; m <= n; m++) {
    const [base, after] = taxed(taxable[m]!, pool, a.tax_loss_carryforward === 1);
    pool = after;
    const s = (tax[m]! - a.tax_rate * base) * Math.pow(1 + a.debt_rate, -m / 12);
    saving += s;
    scale += Math.abs(s);
  }
  return { npv: apv + saving - a.net_debt, scale: scale + Math.abs(a.net_debt), saving };
}
