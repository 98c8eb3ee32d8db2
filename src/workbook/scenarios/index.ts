/** The row specs of the base scenarios, by scenario. */
import type { BaseScenario } from "../../core/index.js";
import type { RowSpec } from "../layout.js";
import { gpuSpec } from "./gpu.js";
import { miningSpec } from "./mining.js";
import { shellSpec } from "./shell.js";

export const BASE_SPECS: Readonly<Record<BaseScenario, () => RowSpec[]>> = {
  mining: miningSpec,
  powered_shell: shellSpec,
  colocated_gpu: gpuSpec,
};
