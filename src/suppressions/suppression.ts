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
import { isRecord } from "../values/value.js";

export interface SuppressionSpec {
  /** Rule id, or `*` for every rule. */
  rule: string;
  reason?: string;
  /** Last day (YYYY-MM-DD) the suppression holds. */
  until?: string;
  /** Where it is written, for `--report-unused-suppressions`. */
  origin?: string;
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

/** Reads the `parapet.suppress` list of a resource's Metadata; anything else is ignored. */
export function metadataSuppressions(metadata: unknown, origin?: string): SuppressionSpec[] {
  const parapet = isRecord(metadata) ? metadata["parapet"] : undefined;
  const list = isRecord(parapet) ? parapet["suppress"] : undefined;
  if (!Array.isArray(list)) return [];
  const out: SuppressionSpec[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item["rule"] !== "string") continue;
    out.push({
      rule: item["rule"],
      ...(typeof item["reason"] === "string" && item["reason"].trim() ? { reason: item["reason"].trim() } : {}),
      ...(typeof item["until"] === "string" || item["until"] instanceof Date ? { until: dateText(item["until"]) } : {}),
      ...(origin ? { origin } : {}),
    });
  }
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
    if (!match.reason && requireReason) return { ...f, message: `${f.message} (its suppression is ignored: it gives no reason)` };
    if (match.until && match.until < day) return { ...f, message: `${f.message} (its suppression expired on ${match.until})` };
    return { ...f, suppressions: [{ kind, justification: match.reason ?? "" }] };
  });
}
