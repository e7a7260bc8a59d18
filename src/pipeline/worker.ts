/**
 * A worker thread of the lint pool: takes units of work and answers with their results.
 * The rules and settings arrive once, as the worker's data.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { WorkerReply, WorkerRequest } from "./pool.js";
import { lintUnit, type UnitContext } from "./units.js";

const ctx = workerData as UnitContext;

parentPort!.on("message", (request: WorkerRequest) => {
  lintUnit(request.unit, ctx).then(
    (result) => parentPort!.postMessage({ index: request.index, result } satisfies WorkerReply),
    (e: unknown) => parentPort!.postMessage({ index: request.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply),
  );
});
