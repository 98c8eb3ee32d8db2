/**
 * The Risk view's Web Worker: simulates off the page's thread, so the pane stays responsive and
 * Cancel can end a run at once (the page terminates the worker). One request per worker.
 */
import { answerRiskRequest, type RiskReply, type RiskRequest } from "./risk.js";

/** The worker's global scope, typed here so this file needs neither the DOM nor the WebWorker library. */
const scope = globalThis as unknown as {
  onmessage: ((event: { data: RiskRequest }) => void) | null;
  postMessage(reply: RiskReply): void;
};

scope.onmessage = (event) => answerRiskRequest(event.data, (reply) => scope.postMessage(reply));
