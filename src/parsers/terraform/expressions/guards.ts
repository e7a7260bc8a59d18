/** Limits of parsing and evaluating an expression, and the errors that stop an evaluation. */
import { type Resolved, Unknown, combine } from "../../../values/value.js";
import { fixedCap } from "../../../limits/evaluation.js";

/** The reason of a value whose expression is past one of the limits below (a limit finding names it: see src/limits/evaluation.ts). */
export const TOO_COMPLEX = `expression too complex to evaluate ${fixedCap("expression size")}`;

/** Limits checked before an expression reaches the parser (see the comment of ../expressions.ts). */
export const MAX_SOURCE_LENGTH = 100_000;
export const MAX_NESTING = 32;
export const MAX_OPERATORS = 150;
export const OPERATOR_CHARS = "+-*/%<>=!&|?:";
export const MAX_INTERPOLATIONS = 500;

/** Limits of one evaluation. */
export const MAX_STEPS = 200_000;
export const MAX_EVAL_DEPTH = 150;
export const MAX_STRING_LENGTH = 1_000_000;
export const MAX_VALUE_DEPTH = 200;

/** An error Terraform would raise while evaluating (observable by `try` and `can`). */
export class EvalError extends Error {}
/** The evaluation budget or depth is exhausted. */
export class TooComplex extends Error {}
/** A function needs a value that is unknown: the call's result is that unknown. */
export class NeedUnknown extends Error {
  constructor(readonly unknown: Unknown) {
    super(unknown.reason);
  }
}

/**
 * {@link combine}, except that when unknown inputs are expanded into their possible values,
 * a combination that fails becomes a plain unknown instead of failing the whole expression.
 */
export function combineSafe(inputs: readonly Resolved[], fn: (known: Resolved[]) => Resolved): Resolved {
  if (!inputs.some((i) => i instanceof Unknown && i.possible)) return combine(inputs, fn);
  return combine(inputs, (known) => unknownOnError(() => fn(known)));
}

/**
 * `work()`, or the unknown it stands for when it fails on a value (an EvalError, a value
 * that needs what is not known): one possible value that fails does not fail the others.
 */
export function unknownOnError(work: () => Resolved): Resolved {
  try {
    return work();
  } catch (error) {
    if (error instanceof EvalError) return new Unknown(error.message);
    if (error instanceof NeedUnknown) return error.unknown;
    throw error;
  }
}
