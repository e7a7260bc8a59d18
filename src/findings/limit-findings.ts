/**
 * The limit findings of evaluator caps (src/limits/evaluation.ts): a rule left undecided by a
 * value a cap stopped fails the run through one `parse-error` finding per resource.
 */
import type { Finding } from "./finding.js";
import { fingerprint, fingerprintInRoot } from "./fingerprint.js";
import { PARSE_ERROR_RULE_ID } from "./parse-error.js";
import { rootOutsideFile } from "./terraform-root.js";
import { capIn, type CapHit } from "../limits/evaluation.js";

/**
 * The findings with one limit finding added for each resource that has a finding to review
 * (not suppressed) whose reason names a cap: the rules it could not decide are listed, and the
 * finding fails the run like the other limits.
 */
export function withLimitFindings(findings: Finding[]): Finding[] {
  const byResource = new Map<string, { first: Finding; cap: CapHit; rules: string[] }>();
  for (const f of findings) {
    if (f.kind !== "review" || f.suppressions?.length || f.reason === undefined || f.ruleId === PARSE_ERROR_RULE_ID) continue;
    const cap = capIn(f.reason);
    if (!cap) continue;
    const key = `${f.root ?? ""}\u0000${f.file}\u0000${f.address}`;
    const seen = byResource.get(key);
    if (!seen) byResource.set(key, { first: f, cap, rules: [f.ruleId] });
    else if (!seen.rules.includes(f.ruleId)) seen.rules.push(f.ruleId);
  }
  if (byResource.size === 0) return findings;
  const added: Finding[] = [];
  for (const { first, cap, rules } of byResource.values()) {
    const subject = first.address || "the deployment";
    const what = cap.what ? `${cap.what} ${cap.tag}` : cap.tag;
    const plain = fingerprint(PARSE_ERROR_RULE_ID, first.file, first.address, `limit ${cap.tag}`);
    const outside = rootOutsideFile(first);
    added.push({
      ruleId: PARSE_ERROR_RULE_ID,
      severity: "high",
      kind: "fail",
      message: `limit exceeded: ${what}; ${rules.join(", ")} could not be decided for ${subject}: ${cap.advice}`,
      file: first.file,
      position: first.position,
      address: first.address,
      ...(first.resourceLine !== undefined ? { resourceLine: first.resourceLine } : {}),
      ...(first.resourceType !== undefined ? { resourceType: first.resourceType } : {}),
      ...(first.format !== undefined ? { format: first.format } : {}),
      ...(first.root !== undefined ? { root: first.root } : {}),
      ...(first.related !== undefined ? { related: first.related } : {}),
      fingerprint: outside === undefined ? plain : fingerprintInRoot(plain, outside),
    });
  }
  return [...findings, ...added];
}
