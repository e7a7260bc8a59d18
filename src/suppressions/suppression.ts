/**
 * Suppressions written next to the resource they waive. A CloudFormation resource (and so a
 * CDK construct, through `addMetadata`) carries them in its Metadata:
 *
 *     Metadata:
 *       parapet:
 *         suppress:
 *           - rule: sg-no-ssh-from-internet
 *             reason: bastion reachable from the office VPN only
 *             until: 2027-03-31        # optional: the finding comes back after this day
 *
 * A suppression needs a reason; suppressed findings stay in JSON and SARIF output.
 */
import type { Finding } from "../findings/finding.js";
import { didYouMean, nearestName } from "../names.js";
import { isRecord } from "../values/value.js";

export interface SuppressionSpec {
  /** Rule id, or `*` for every rule. */
  rule: string;
  reason?: string;
  /** Last day (YYYY-MM-DD) the suppression holds. */
  until?: string;
  /** Where it is written, for `--report-unused-suppressions`. */
  origin?: string;
  /** Why it cannot apply as written (an `until` that is not a day): the finding says so and is reported. */
  problem?: string;
}

/** Suppressions that matched a finding in this run (whether or not they applied). */
const used = new WeakSet<SuppressionSpec>();

export function wasUsed(spec: SuppressionSpec): boolean {
  return used.has(spec);
}

/** Records that a suppression matched a finding where it was checked (a worker, an earlier run). */
export function markUsed(spec: SuppressionSpec): void {
  used.add(spec);
}

/** Where a suppression is written wrongly, as a path inside the resource's Metadata, and what is wrong. */
export type SuppressionProblem = (path: (string | number)[], message: string) => void;

const ENTRY_KEYS = ["rule", "reason", "until"];

/** Whether `day` is a calendar day written YYYY-MM-DD. */
export function isDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** Why an `until` does not apply, or undefined for a valid day. */
export function untilProblem(until: string): string | undefined {
  return isDay(until) ? undefined : `until "${until}" is not a day written YYYY-MM-DD`;
}

/**
 * Reads the `parapet.suppress` list of a resource's Metadata. What looks meant as a
 * suppression but is not written as one (a misspelt key, an entry without a rule, an `until`
 * that is not a day) is passed to `problem`, never silently dropped.
 */
export function metadataSuppressions(metadata: unknown, origin?: string, problem: SuppressionProblem = () => undefined): SuppressionSpec[] {
  if (!isRecord(metadata)) return [];
  for (const key of Object.keys(metadata)) {
    if (key !== "parapet" && nearestName(key, ["parapet"]) !== undefined) problem([key], `Metadata key "${key}" is not read as a suppression (did you mean "parapet"?)`);
  }
  const parapet = metadata["parapet"];
  if (parapet === undefined) return [];
  if (!isRecord(parapet)) {
    problem(["parapet"], `Metadata.parapet is not read as a suppression: it must be a map with a "suppress" list`);
    return [];
  }
  for (const key of Object.keys(parapet)) {
    if (key !== "suppress") problem(["parapet", key], `Metadata.parapet.${key} is not read as a suppression: unknown key (did you mean "suppress"?)`);
  }
  const list = parapet["suppress"];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problem(["parapet", "suppress"], "Metadata.parapet.suppress is not read: it must be a list of entries with rule, reason and until");
    return [];
  }
  const out: SuppressionSpec[] = [];
  list.forEach((item: unknown, i) => {
    const at = ["parapet", "suppress", i];
    if (!isRecord(item)) {
      problem(at, `Metadata.parapet.suppress[${i}] is not read: an entry is a map with rule, reason and until`);
      return;
    }
    for (const key of Object.keys(item)) {
      if (!ENTRY_KEYS.includes(key)) problem([...at, key], `Metadata.parapet.suppress[${i}].${key}: unknown key${didYouMean(key, ENTRY_KEYS)} (an entry has rule, reason and until)`);
    }
    if (typeof item["rule"] !== "string") {
      problem(at, `Metadata.parapet.suppress[${i}] names no rule (rule: <rule-id> or "*"), so it suppresses nothing`);
      return;
    }
    const until = typeof item["until"] === "string" || item["until"] instanceof Date ? dateText(item["until"]) : item["until"] === undefined ? undefined : String(item["until"]);
    const invalid = until === undefined ? undefined : untilProblem(until);
    if (invalid) problem([...at, "until"], `Metadata.parapet.suppress[${i}]: ${invalid}, so the suppression does not apply`);
    out.push({
      rule: item["rule"],
      ...(typeof item["reason"] === "string" && item["reason"].trim() ? { reason: item["reason"].trim() } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(invalid ? { problem: invalid } : {}),
      ...(origin ? { origin } : {}),
    });
  });
  return out;
}

function dateText(v: unknown): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

/**
 * Marks the findings that a suppression of their resource waives. A suppression without a
 * reason, or past its `until` day, does not apply: the finding says why.
 */
export function applySuppressions(
  findings: Finding[],
  lookup: (f: Finding) => SuppressionSpec[],
  today = new Date(),
  options: { kind?: "inSource" | "external"; requireReason?: boolean } = {},
): Finding[] {
  const day = today.toISOString().slice(0, 10);
  const kind = options.kind ?? "inSource";
  const requireReason = options.requireReason ?? true;
  return findings.map((f) => {
    if (f.ruleId === "parse-error") return f;
    const match = lookup(f).find((s) => s.rule === f.ruleId || s.rule === "*");
    if (!match) return f;
    used.add(match);
    if (match.problem) return { ...f, message: `${f.message} (its suppression is ignored: ${match.problem})` };
    if (!match.reason && requireReason) return { ...f, message: `${f.message} (its suppression is ignored: it gives no reason)` };
    if (match.until && match.until < day) return { ...f, message: `${f.message} (its suppression expired on ${match.until})` };
    return { ...f, suppressions: [{ kind, justification: match.reason ?? "" }] };
  });
}
