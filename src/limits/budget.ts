/**
 * The limits in force for the file being read, and its time budget.
 *
 * Parsers and the rule engine are deep call chains; rather than thread the limits through
 * every call, the pipeline opens a budget for each file (a CloudFormation template, a CDK
 * assembly, a Terraform root) and the loops that can run long call {@link checkDeadline}.
 * The deadline is cooperative: a loop that passes it throws {@link LimitExceeded}, which the
 * pipeline turns into a finding for that file. Budgets nest: the inner one is restored when
 * it closes.
 */
import { DEFAULT_LIMITS, formatSize, LimitExceeded, limitMessage, resolveLimits, type Limits } from "./limits.js";

interface Budget {
  limits: Limits;
  /** `Date.now()` after which the file has run out of time. */
  deadline: number;
}

let current: Budget = { limits: { ...DEFAULT_LIMITS }, deadline: Infinity };

/** The limits in force. */
export function activeLimits(): Limits {
  return current.limits;
}

/** Calls of {@link checkDeadline} since the clock was last read. */
let sinceClock = 0;
/** The clock is read on every this many calls: the loops that call it take microseconds a turn. */
const CLOCK_EVERY = 64;

/** Throws LimitExceeded when the file being read has used up its time. */
export function checkDeadline(): void {
  if (++sinceClock < CLOCK_EVERY) return;
  sinceClock = 0;
  if (Date.now() > current.deadline) {
    throw new LimitExceeded("fileTimeout", limitMessage("fileTimeout", current.limits, "reading and checking the file took too long"));
  }
}

/**
 * Puts `limits` in force with a deadline `scale` times the per-file timeout from now (a
 * Terraform root of five files gets five files' time; `scale` 0 keeps the deadline of the
 * budget around it), until the returned function is called. Between the two, only one file
 * should be read: an `await` lets other work run under this budget.
 */
export function openBudget(limits: Partial<Limits> | undefined, scale = 1): () => void {
  const saved = current;
  const resolved = resolveLimits({ ...saved.limits, ...limits });
  current = { limits: resolved, deadline: scale > 0 ? Date.now() + resolved.fileTimeout * scale : saved.deadline };
  return () => {
    current = saved;
  };
}

/** Runs synchronous `fn` under {@link openBudget}. */
export function withBudget<T>(limits: Partial<Limits> | undefined, fn: () => T, scale = 1): T {
  const close = openBudget(limits, scale);
  try {
    return fn();
  } finally {
    close();
  }
}

/** Throws LimitExceeded when text given in memory is larger than the file size limit. */
export function checkTextSize(text: string): void {
  const limits = current.limits;
  // Each UTF-16 unit is at most 3 bytes: count exactly only when that bound is over the limit.
  if (text.length * 3 <= limits.maxFileSize) return;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > limits.maxFileSize) throw new LimitExceeded("maxFileSize", limitMessage("maxFileSize", limits, `the file is ${formatSize(bytes)}`));
}
