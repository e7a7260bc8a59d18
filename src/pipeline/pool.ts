/**
 * Runs the units of work of a lint: in this thread, or on a pool of worker threads when the
 * work is large enough to pay for starting them, and through the cache when one is given.
 * Results come back in unit order, so a run gives the same output however it is split.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { packagePath } from "../paths.js";
import { UsageError } from "../errors.js";
import { lintUnit, type Unit, type UnitContext, type UnitResult } from "./units.js";

export interface CacheOptions {
  /** Folder of cache entries. */
  dir: string;
  /** Everything besides the inputs that a result depends on: parapet's version, the rules, the configuration, parameters and variables. */
  key: string;
}

export interface RunOptions {
  /** Number of worker threads; 1 runs in this thread; unset chooses (see `autoJobs`). */
  jobs?: number;
  cache?: CacheOptions;
  onResult?: (done: number, result: UnitResult) => void;
  /** The worker script (tests give one that misbehaves); default: parapet's. */
  workerScript?: string;
}

/**
 * Rough single-thread cost of a unit in milliseconds, from its size, as measured on the
 * benchmark corpus (docs/performance.md): a YAML template costs about 1 ms per KB all told
 * (parsing is half of it), JSON about a quarter of that (the rules' work is the same, the
 * parse far cheaper), a Terraform root about 4 ms per KB (the HCL reader is slow).
 */
function estimate(unit: Unit): number {
  if (unit.kind === "terraform") return 5 + unit.size / 250; // (a plan beside the configuration counts as HCL: rough, and rare)
  if (unit.kind === "assembly") return 5 + unit.size / 4_000;
  if (unit.kind === "stacks") return unit.files.reduce((n, f) => n + estimate(f), 0);
  return 0.3 + unit.size / (/\.json$/i.test(unit.file.path) ? 4_000 : 1_000);
}

/**
 * CPU time a thread spends before it lints at full speed, in milliseconds: starting a worker
 * and loading parapet is about 100 ms, but most of it is the JavaScript engine compiling the
 * hot code (parsers, adapters, rules) again in every thread, about 1.5 s of CPU on two cores.
 * In a one-thread run that compiling runs on an otherwise idle core; with a thread per core
 * it takes CPU from the work.
 */
const WORKER_WARM_UP_MS = 1_500;

/**
 * More threads pay off when splitting the work saves more than each spends warming up: on
 * k threads the run takes about work / k + warm-up, against the work itself on one thread.
 * Below twice the warm-up one thread is faster; above it, one thread per core (and at most
 * one per unit).
 */
export function autoJobs(units: readonly Unit[], cores = availableParallelism()): number {
  if (cores < 2 || units.length < 2) return 1;
  const cost = units.reduce((ms, u) => ms + estimate(u), 0);
  if (cost < 2 * WORKER_WARM_UP_MS) return 1;
  return Math.min(cores, units.length);
}

// ---- cache -----------------------------------------------------------------------------

const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function contentHash(path: string): string {
  try {
    return sha(readFileSync(path));
  } catch {
    return "missing";
  }
}

interface CacheEntry {
  dependencies: [string, string][];
  result: UnitResult;
}

function entryPath(cache: CacheOptions, unit: Unit): string {
  const { size: _size, ...identity } = unit;
  return join(cache.dir, sha(cache.key).slice(0, 16), `${sha(JSON.stringify(identity)).slice(0, 32)}.json`);
}

/** A stored result whose every dependency still has the content it had. */
function cached(cache: CacheOptions, unit: Unit): UnitResult | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(entryPath(cache, unit), "utf8")) as CacheEntry;
  } catch {
    return undefined;
  }
  const r = (entry as Partial<CacheEntry> | null)?.result as Partial<UnitResult> | undefined;
  const lists = r && [r.findings, r.files, r.notes, r.comments, r.declared, r.dependencies];
  // An entry that is not what this version writes (edited, cut short) is ignored: the unit is linted again.
  if (!Array.isArray(entry?.dependencies) || !lists || !lists.every(Array.isArray)) return undefined;
  const unchanged = (d: unknown) => Array.isArray(d) && typeof d[0] === "string" && contentHash(d[0]) === d[1];
  return entry.dependencies.every(unchanged) ? entry.result : undefined;
}

function store(cache: CacheOptions, unit: Unit, result: UnitResult): void {
  const path = entryPath(cache, unit);
  const entry: CacheEntry = { dependencies: [...new Set(result.dependencies)].sort().map((p) => [p, contentHash(p)]), result };
  try {
    mkdirSync(join(path, ".."), { recursive: true });
    // Written under a unique name and renamed, so that parallel runs never read half an entry.
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, path);
  } catch {
    // A cache that cannot be written only makes the next run slower.
  }
}

/** Key folders not used for this long are removed: rules, configuration or parapet have changed since. */
const CACHE_KEEP_DAYS = 14;
const KEY_FOLDER = /^[0-9a-f]{16}$/;

/**
 * Marks this run's key folder as used and removes other key folders unused for two weeks.
 * Only folders named like key folders are touched, whatever else the cache folder holds.
 */
function pruneCache(cache: CacheOptions, now = new Date()): void {
  const mine = sha(cache.key).slice(0, 16);
  try {
    utimesSync(join(cache.dir, mine), now, now);
  } catch {
    // Nothing was stored under this key.
  }
  let names: string[];
  try {
    names = readdirSync(cache.dir);
  } catch {
    return;
  }
  const oldest = now.getTime() - CACHE_KEEP_DAYS * 86_400_000;
  for (const name of names) {
    if (name === mine || !KEY_FOLDER.test(name)) continue;
    try {
      const folder = join(cache.dir, name);
      if (statSync(folder).isDirectory() && statSync(folder).mtimeMs < oldest) rmSync(folder, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by a parallel run, or not ours to remove.
    }
  }
}

// ---- workers ---------------------------------------------------------------------------

/** The worker script: the bundled one when the build made it, else the compiled module (tests run the sources, and global setup builds). */
function workerScript(): string {
  const bundled = packagePath("dist", "bundle", "worker.mjs");
  return existsSync(bundled) ? bundled : packagePath("dist", "pipeline", "worker.js");
}

export interface WorkerRequest {
  index: number;
  unit: Unit;
}
/** A unit's result, or what went wrong: a usage error (a bad --var-file) stays one, as it would in this thread. */
export type WorkerReply = { index: number; result: UnitResult } | { index: number; error: string; stack?: string; usage: boolean };

/**
 * Lints the units on `jobs` threads: this one and `jobs - 1` workers, all taking units from
 * one queue. This thread works too rather than waiting: it saves starting one worker and
 * copying a share of the results, and every thread that lints compiles the hot code for itself
 * anyway (see `WORKER_WARM_UP_MS`). Between its units it lets the workers' answers in.
 */
function runOnThreads(
  units: Unit[],
  ctx: UnitContext,
  jobs: number,
  script: string,
  finish: (index: number, result: UnitResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const workers: Worker[] = [];
    const stopAll = () => workers.forEach((w) => void w.terminate());
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(error);
    };
    const completed = () => {
      if (++done === units.length) {
        stopAll();
        resolve();
      }
    };
    const feed = (worker: Worker) => {
      if (next < units.length) {
        const index = next++;
        worker.postMessage({ index, unit: units[index]! } satisfies WorkerRequest);
      }
    };
    for (let w = 0; w < jobs - 1; w++) {
      const worker = new Worker(script, { workerData: ctx });
      workers.push(worker);
      worker.on("message", (reply: WorkerReply) => {
        if (failed) return;
        if ("error" in reply) {
          const error = reply.usage ? new UsageError(reply.error) : new Error(reply.error);
          if (reply.stack && !reply.usage) error.stack = reply.stack;
          fail(error);
          return;
        }
        finish(reply.index, reply.result);
        completed();
        feed(worker);
      });
      worker.on("error", fail);
      // A worker that ends before the work is done (killed, out of memory) must not leave the run waiting.
      worker.on("exit", (code) => {
        if (done < units.length) fail(new Error(`a lint worker stopped (exit code ${code}) before the files it was given were linted`));
      });
      feed(worker);
    }
    void (async () => {
      let first = true;
      while (!failed && next < units.length) {
        const index = next++;
        // Then a second unit in flight per worker, so that none waits for the next one to
        // arrive (after this thread has taken one: two units go to two threads).
        if (first) workers.forEach(feed);
        first = false;
        let result: UnitResult;
        try {
          result = await lintUnit(units[index]!, ctx);
        } catch (e) {
          fail(e);
          return;
        }
        if (failed) return;
        finish(index, result);
        completed();
        await new Promise((r) => setImmediate(r));
      }
    })();
  });
}

/**
 * A copy of a string that shares no memory with a longer one: a string cut from a file's
 * text (a logical id read by the YAML parser) otherwise keeps the whole text in memory.
 */
function detached(s: string): string {
  return (" " + s).slice(1);
}

/** A deep copy of plain data, made of new objects and strings. */
const copied = <T>(data: T): T => JSON.parse(JSON.stringify(data)) as T;

/**
 * Makes a result hold its own memory and share repeated strings. The values many findings
 * repeat (rule ids, files, types, and the messages, addresses and property paths of the
 * logical ids that a repository's templates have in common) are made one string; each is
 * copied the first time it is seen, so that a result linted in this thread keeps no slice of
 * its file's text. The rarer parts that may hold such slices (suppressions, notes) are
 * copied whole. A run over thousands of files then holds one copy of each repeated string and
 * none of the files' texts or parse trees.
 */
function shareStrings(result: UnitResult, pool: Map<string, string>): void {
  const one = (s: string) => {
    const known = pool.get(s);
    if (known !== undefined) return known;
    const copy = detached(s);
    pool.set(copy, copy);
    return copy;
  };
  for (const f of result.findings) {
    f.ruleId = one(f.ruleId);
    f.severity = one(f.severity) as typeof f.severity;
    f.kind = one(f.kind) as typeof f.kind;
    f.file = one(f.file);
    f.message = one(f.message);
    f.address = one(f.address);
    if (f.logicalId !== undefined) f.logicalId = one(f.logicalId);
    if (f.resourceType !== undefined) f.resourceType = one(f.resourceType);
    if (f.format !== undefined) f.format = one(f.format) as typeof f.format;
    if (f.reason !== undefined) f.reason = one(f.reason);
    if (f.propertyPath !== undefined) f.propertyPath = one(f.propertyPath);
    if (f.root !== undefined) f.root = one(f.root);
    f.fingerprint = detached(f.fingerprint);
    if (f.suppressions?.length) f.suppressions = copied(f.suppressions);
    if (f.related?.length) f.related = copied(f.related);
  }
  result.files = result.files.map(one);
  if (result.notes.length > 0) result.notes = copied(result.notes);
  if (result.comments.length > 0) result.comments = copied(result.comments);
  if (result.declared.length > 0) result.declared = copied(result.declared);
  result.dependencies = result.dependencies.map(detached);
}

/** Lints every unit and returns the results in unit order. */
export async function runUnits(units: Unit[], ctx: UnitContext, options: RunOptions = {}): Promise<UnitResult[]> {
  const results = new Array<UnitResult>(units.length);
  const strings = new Map<string, string>();
  let done = 0;
  /** `fresh`: linted now (not read from the cache), so worth storing in it. */
  const finish = (index: number, result: UnitResult, fresh: boolean) => {
    shareStrings(result, strings);
    results[index] = result;
    if (fresh && options.cache) store(options.cache, units[index]!, result);
    options.onResult?.(++done, result);
  };
  const todo: number[] = [];
  units.forEach((unit, i) => {
    const hit = options.cache ? cached(options.cache, unit) : undefined;
    if (hit) finish(i, hit, false);
    else todo.push(i);
  });
  const pending = todo.map((i) => units[i]!);
  const jobs = Math.min(options.jobs ?? autoJobs(pending), pending.length);
  if (jobs <= 1) {
    for (const i of todo) finish(i, await lintUnit(units[i]!, ctx), true);
  } else {
    await runOnThreads(pending, ctx, jobs, options.workerScript ?? workerScript(), (j, result) => finish(todo[j]!, result, true));
  }
  if (options.cache) pruneCache(options.cache);
  return results;
}
