/**
 * The limits that keep one hostile or broken input from stopping a scan: how large a file
 * may be, how deep its data may nest, how far YAML aliases may expand and how long one file
 * may take, how many instances of a Terraform block are told apart. A file over a limit is reported as a `parse-error` finding that names the limit
 * and its value; the rest of the scan goes on.
 */
import { UsageError } from "../errors.js";

export interface Limits {
  /** Largest file read, in bytes. */
  maxFileSize: number;
  /** Deepest nesting of maps, lists and brackets in a file. */
  maxDepth: number;
  /** Most nodes that the aliases of one YAML document may expand to. */
  maxAliasExpansion: number;
  /** Longest time one file (a CDK assembly, a Terraform root) may take, in milliseconds. */
  fileTimeout: number;
  /** Most instances of one Terraform `count` / `for_each` block evaluated one by one; more are evaluated once for all. */
  maxInstances: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFileSize: 10 * 1024 * 1024,
  maxDepth: 200,
  maxAliasExpansion: 10_000,
  fileTimeout: 30_000,
  maxInstances: 64,
});

/**
 * Ceiling of `maxDepth`: the parsers parapet uses recurse once per level, and deeper input
 * than this would exhaust the call stack.
 */
export const DEPTH_CEILING = 500;

/** How limits are named in `.parapet.yaml` and on the command line (`--max-depth`). */
export const LIMIT_NAMES = {
  maxFileSize: "max-file-size",
  maxDepth: "max-depth",
  maxAliasExpansion: "max-alias-expansion",
  fileTimeout: "file-timeout",
  maxInstances: "max-instances",
} as const satisfies Record<keyof Limits, string>;

/** Thrown from inside a parser or the rule engine when a limit is hit; the pipeline turns it into a finding. */
export class LimitExceeded extends Error {
  override readonly name = "LimitExceeded";
  constructor(
    readonly limit: keyof Limits,
    message: string,
    readonly line = 1,
    readonly column = 1,
  ) {
    super(message);
  }
}

/** `10485760` → `10 MiB`, `52428900` → `50 MiB`, `1500` → `1.5 KiB`, `900` → `900 bytes`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [["GiB", 1024 ** 3], ["MiB", 1024 ** 2], ["KiB", 1024]] as const) {
    if (bytes >= size) return `${+(bytes / size).toFixed(1)} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The text of a finding for a limit: which one, its value, and that the file was not checked. */
export function limitMessage(limit: keyof Limits, limits: Limits, what: string): string {
  const value =
    limit === "maxFileSize" ? formatSize(limits.maxFileSize) : limit === "fileTimeout" ? `${limits.fileTimeout / 1000} s` : String(limits[limit]);
  return `limit exceeded: ${what} (${LIMIT_NAMES[limit]} is ${value}); the file was not checked`;
}

/** `10MB`, `512k`, `1048576` → bytes (units are powers of 1024). */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? "b").toLowerCase()[0]!;
  const factor = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(m[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}

/** Limits as written in `.parapet.yaml` (`limits:`) or given as flags: strings or numbers. */
export type LimitSettings = Partial<Record<(typeof LIMIT_NAMES)[keyof Limits], string | number>>;

/**
 * Reads written limits (`max-file-size: 20MB`, `file-timeout: 5` seconds) into `Limits`
 * fields. `where` names the source in the UsageError a bad value raises.
 */
export function readLimitSettings(settings: LimitSettings, where: (name: string) => string): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const key of Object.keys(LIMIT_NAMES) as (keyof Limits)[]) {
    const name = LIMIT_NAMES[key];
    const raw = settings[name];
    if (raw === undefined) continue;
    const text = String(raw);
    let value: number | undefined;
    if (key === "maxFileSize") value = parseSize(text);
    else if (key === "fileTimeout") value = /^\s*\d+(\.\d+)?\s*$/.test(text) && Number(text) > 0 ? Math.round(Number(text) * 1000) : undefined;
    else value = /^\s*\d+\s*$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
    if (value === undefined) {
      const expected =
        key === "maxFileSize" ? "a size such as 10MB, 512KB or a number of bytes" : key === "fileTimeout" ? "a number of seconds greater than 0" : "a whole number greater than 0";
      throw new UsageError(`${where(name)}: "${text}" is not ${expected}`);
    }
    if (key === "maxDepth" && value > DEPTH_CEILING) throw new UsageError(`${where(name)}: ${value} is above the highest depth parapet can read safely (${DEPTH_CEILING})`);
    out[key] = value;
  }
  return out;
}

/** Fills in the defaults. */
export function resolveLimits(given: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...given };
}
