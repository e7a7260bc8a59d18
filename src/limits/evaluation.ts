/**
 * Caps inside the evaluators: how many instances of a Terraform block are told apart, how
 * large and deep an expression may be, how deep module calls and intrinsic functions nest,
 * how many items a `Fn::ForEach` expands, how many combinations of possible values are tried.
 *
 * A cap that stops evaluating a value makes it an Unknown whose reason carries the cap's tag
 * ({@link settableCap}, {@link fixedCap}). A rule left undecided by such a value would be a
 * finding to review, and the run would pass although the value might fail: instead
 * {@link withLimitFindings} adds one limit finding (a `parse-error`, which fails the run) per
 * resource, naming the cap and how to raise it or get around it.
 */
import type { Finding } from "../findings/finding.js";
import { fingerprint, fingerprintInRoot } from "../findings/fingerprint.js";
import { PARSE_ERROR_RULE_ID } from "../findings/parse-error.js";
import { rootOutsideFile } from "../findings/terraform-root.js";
import { LIMIT_NAMES, type Limits } from "./limits.js";

/** The limits a user sets that the evaluators apply (the others stop a whole file). */
export type SettableCap = "maxInstances";

/** Caps the user cannot change, with what to do when one is hit. */
export const FIXED_CAPS = {
  "expression size": "simplify the expression, or lint the plan (terraform show -json), which holds the values Terraform computed",
  "module nesting": "a module that calls itself never ends; otherwise lint the plan (terraform show -json)",
  "stack nesting": "a stack that nests itself never ends; otherwise lint the deeper stacks on their own with the parameters they are given (--param)",
  "intrinsic nesting": "nest fewer intrinsic functions",
  "Fn::ForEach items": "a template creates at most 500 resources; split the loop or the template",
  "combinations": "the value depends on too many undecided conditions at once; give parameter or variable values (--param, --var) to decide some",
} as const;
export type FixedCap = keyof typeof FIXED_CAPS;

/** `(max-instances is 64)`: the tag of a user-set limit, as other limit messages name it. */
export function settableCap(limit: SettableCap, value: number): string {
  return `(${LIMIT_NAMES[limit]} is ${value})`;
}

/** `(fixed limit: expression size)`: the tag of a cap the user cannot change. */
export function fixedCap(cap: FixedCap): string {
  return `(fixed limit: ${cap})`;
}

/**
 * The user-set limits a reason may name: the instances told apart, and the size of a file an
 * expression reads (`file()`), whose reason says `(max-file-size is 10 MiB)`.
 */
const SETTABLE: readonly (keyof Limits)[] = ["maxInstances", "maxFileSize"];
const TAG = new RegExp(`\\((?:(${SETTABLE.map((k) => LIMIT_NAMES[k]).join("|")}) is ([^)]+)|fixed limit: (${Object.keys(FIXED_CAPS).join("|")}))\\)`);

/** The cap a reason names, with the clause that says what was stopped (`aws_instance.web has 100 instances, ...`). */
export function capIn(reason: string): { what: string; tag: string; advice: string } | undefined {
  const m = TAG.exec(reason);
  if (!m) return undefined;
  const before = reason.slice(0, m.index);
  const start = Math.max(before.lastIndexOf(": "), before.lastIndexOf("; "));
  const what = before.slice(start < 0 ? 0 : start + 2).trim();
  if (m[1] !== undefined) {
    return { what, tag: m[0], advice: `raise it with --${m[1]} or limits: ${m[1]}: in .parapet.yaml` };
  }
  return { what, tag: m[0], advice: FIXED_CAPS[m[3] as FixedCap] };
}

/** Reasons that name a cap first: a reason lists only a few of the unknowns that block a decision. */
export function capsFirst(reasons: readonly string[]): string[] {
  return [...reasons.filter((r) => TAG.test(r)), ...reasons.filter((r) => !TAG.test(r))];
}

/**
 * The findings with one limit finding added for each resource that has a finding to review
 * (not suppressed) whose reason names a cap: the rules it could not decide are listed, and the
 * finding fails the run like the other limits.
 */
export function withLimitFindings(findings: Finding[]): Finding[] {
  const byResource = new Map<string, { first: Finding; cap: NonNullable<ReturnType<typeof capIn>>; rules: string[] }>();
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
