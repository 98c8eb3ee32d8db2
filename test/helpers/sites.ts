/** Seeded random sites for workbook and property tests: every value inside its key's range. */
import { DEFAULTS, withValues, type Assumptions } from "../../src/core/index.js";

export { seeded } from "./random.js";

/** A plausible but varied site: market, fleet, lease, debt, GPU and hybrid split all drawn. */
export function randomSite(random: () => number): Assumptions {
  const between = (low: number, high: number) => low + (high - low) * random();
  const whole = (low: number, high: number) => Math.floor(between(low, high + 1));
  const life = whole(3, 6);
  const shares = [random(), random(), random()];
  const total = shares[0]! + shares[1]! + shares[2]!;
  const shareMining = shares[0]! / total;
  const shareShell = shares[1]! / total;
  return withValues(DEFAULTS, {
    site_mw: between(5, 400),
    power_price: between(20, 80),
    power_price_growth: between(0, 0.04),
    tax_rate: between(0, 0.3),
    tax_loss_carryforward: random() < 0.5,
    net_debt: between(-20e6, 50e6),
    btc_price: between(40_000, 200_000),
    btc_price_growth: between(-0.1, 0.3),
    network_hashrate: between(800, 1_500),
    hashrate_growth: between(0, 0.4),
    fee_share: between(0, 0.05),
    block_height: whole(900_000, 1_100_000),
    fleet_efficiency: between(12, 30),
    uptime: between(0.8, 1),
    pool_fee: between(0, 0.03),
    asic_price: between(5, 30),
    asic_life_years: life,
    fleet_age_years: between(0, life - 0.5),
    horizon_years_mining: whole(5, 15),
    discount_rate_mining: between(0.08, 0.25),
    pue_dc: between(1.1, 1.5),
    conversion_capex: between(6, 12),
    construction_months: whole(6, 24),
    lease_rate: between(90, 180),
    lease_escalator: between(0, 0.05),
    lease_term_years: whole(5, 20),
    noi_margin: between(0.7, 0.95),
    exit_cap_rate: between(0.055, 0.09),
    debt_ltc: random() < 0.3 ? 0 : between(0.2, 0.75),
    debt_rate: between(0.05, 0.11),
    debt_term_years: whole(5, 15),
    discount_rate_shell: between(0.07, 0.14),
    discount_rate_gpu: between(0.1, 0.25),
    gpu_kw: between(1.2, 1.9),
    gpu_capex: between(25_000, 60_000),
    gpu_rate: between(1.5, 4),
    gpu_rate_decline: between(0.05, 0.35),
    utilization: between(0.6, 0.95),
    gpu_life_years: whole(3, 7),
    gpu_residual_share: between(0, 0.2),
    gpu_opex_share: between(0.05, 0.2),
    share_mining: shareMining,
    share_shell: shareShell,
    share_gpu: 1 - shareMining - shareShell,
  });
}
