/**
 * Caps inside the evaluators: how many instances of a Terraform block are told apart, how
 * large and deep an expression may be, how deep module calls and intrinsic functions nest,
 * how many items a `Fn::ForEach` expands, how many combinations of possible values are tried.
 *
 * A cap that stops evaluating a value makes it an Unknown whose reason carries the cap's tag
 * ({@link settableCap}, {@link fixedCap}). A rule left undecided by such a value would be a
 * finding to review, and the run would pass although the value might fail: instead
 * `withLimitFindings` (src/findings/limit-findings.ts) adds one limit finding (a `parse-error`, which fails the run) per
 * resource, naming the cap and how to raise it or get around it.
 */
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

/** A cap a reason names: the clause that says what was stopped, the cap's tag, what to do. */
export interface CapHit {
  what: string;
  tag: string;
  advice: string;
}

/** The cap a reason names, with the clause that says what was stopped (`aws_instance.web has 100 instances, ...`). */
export function capIn(reason: string): CapHit | undefined {
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
