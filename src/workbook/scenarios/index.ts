/** The row specs of the base scenarios, by scenario. */
import type { BaseScenario } from "../../core/index.js";
import type { RowSpec } from "../layout.js";
import type { MiningLink } from "./facility.js";
import { gpuSpec } from "./gpu.js";
import { miningSpec } from "./mining.js";
import { shellSpec } from "./shell.js";

/** Row specs by base scenario; a conversion reads the site's Mining block (laid out first). */
export const BASE_SPECS: Readonly<Record<BaseScenario, (mining: MiningLink | undefined) => RowSpec[]>> = {
  mining: () => miningSpec(),
  powered_shell: (mining) => shellSpec(needMining(mining)),
  colocated_gpu: (mining) => gpuSpec(needMining(mining)),
};

function needMining(mining: MiningLink | undefined): MiningLink {
  if (!mining) throw new Error("workbook plan: a conversion block needs the site's Mining block, laid out before it");
  return mining;
}
