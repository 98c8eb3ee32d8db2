/**
 * Starting and cancelling a Risk view simulation: in a Web Worker where the browser has one
 * (every webview Office runs in), otherwise on the page a slice of paths at a time with a
 * pause between, so the progress bar still moves. Both run the same `riskSteps`.
 */
import { riskSteps, type RiskProgress, type RiskReply, type RiskRequest, type RiskView } from "../worker/risk.js";

/** What the runner needs of a Worker: tests stand in for one with this. */
export interface RiskWorkerLike {
  onmessage: ((event: { data: RiskReply }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  postMessage(request: RiskRequest): void;
  terminate(): void;
}

export type CreateRiskWorker = () => RiskWorkerLike | undefined;

/** The worker's script: webpack builds src/worker/risk.worker.ts into it, beside the page (webpack.config.js). */
export const RISK_WORKER_SCRIPT = "risk-worker.js";

/** The bundled worker, or undefined where there is no Worker. */
export const createRiskWorker: CreateRiskWorker = () =>
  typeof Worker === "function" ? (new Worker(new URL(RISK_WORKER_SCRIPT, document.baseURI), { name: "risk-worker" }) as unknown as RiskWorkerLike) : undefined;

export interface RiskRun {
  /** Where the numbers are computed: a worker, or the page itself. */
  readonly where: "worker" | "page";
  /** The view; rejects with an AbortError when cancelled, with the core's message when the inputs are wrong. */
  readonly result: Promise<RiskView>;
  cancel(): void;
}

function abortError(): Error {
  const error = new Error("The simulation was cancelled");
  error.name = "AbortError";
  return error;
}

export function startRisk(request: RiskRequest, onProgress: (progress: RiskProgress) => void, createWorker: CreateRiskWorker = createRiskWorker): RiskRun {
  const worker = createWorker();
  return worker ? inWorker(worker, request, onProgress) : onPage(request, onProgress);
}

function inWorker(worker: RiskWorkerLike, request: RiskRequest, onProgress: (progress: RiskProgress) => void): RiskRun {
  let settle: ((error: Error) => void) | undefined;
  const result = new Promise<RiskView>((resolve, reject) => {
    const finish = (error?: Error, view?: RiskView) => {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      if (error) reject(error);
      else resolve(view!);
    };
    settle = finish;
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") onProgress(data.progress);
      else if (data.type === "result") finish(undefined, data.view);
      else finish(new Error(data.message));
    };
    worker.onerror = (event) => finish(new Error(`The simulation's worker failed: ${event.message ?? "it could not start"}`));
  });
  worker.postMessage(request);
  return { where: "worker", result, cancel: () => settle?.(abortError()) };
}

/**
 * The pause between slices on the page: long enough for React to render the progress (its
 * scheduler posts a task) and the browser to paint a frame before the next slice blocks again.
 */
const SLICE_PAUSE_MS = 20;

function onPage(request: RiskRequest, onProgress: (progress: RiskProgress) => void): RiskRun {
  let cancel = () => {};
  const result = new Promise<RiskView>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let steps: ReturnType<typeof riskSteps>;
    const step = () => {
      try {
        steps ??= riskSteps(request, { sliced: true, onProgress });
        const next = steps.next();
        if (next.done) {
          resolve(next.value);
          return;
        }
        onProgress(next.value);
        timer = setTimeout(step, SLICE_PAUSE_MS);
      } catch (error) {
        reject(error);
      }
    };
    timer = setTimeout(step, 0);
    cancel = () => {
      clearTimeout(timer);
      reject(abortError());
    };
  });
  return { where: "page", result, cancel };
}
