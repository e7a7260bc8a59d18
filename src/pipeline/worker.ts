/**
 * A worker thread of the lint pool: takes units of work and answers with their results.
 * The rules and settings arrive once, as the worker's data.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { WorkerReply, WorkerRequest } from "./pool.js";
import { lintUnit, type UnitContext } from "./units.js";
import { UsageError } from "../errors.js";

const ctx = workerData as UnitContext;

parentPort!.on("message", (request: WorkerRequest) => {
  lintUnit(request.unit, ctx).then(
    (result) => parentPort!.postMessage({ index: request.index, result } satisfies WorkerReply),
    (e: unknown) =>
      parentPort!.postMessage({
        index: request.index,
        error: e instanceof Error ? e.message : String(e),
        ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
        usage: e instanceof UsageError,
      } satisfies WorkerReply),
  );
});
