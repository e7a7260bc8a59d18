/**
 * Terraform variable values given on the command line: part of the model, read by the
 * command line and by the Terraform evaluator (kept apart from it so that reading arguments
 * does not load it).
 */
import { UsageError } from "../errors.js";

/** A `--var name=value` or `--var-file FILE` from the command line, in the order given. */
export type VariableSource = { kind: "var"; name: string; value: string } | { kind: "file"; path: string; shown?: string };

export interface VariableOptions {
  /** Command-line sources in order. */
  sources: VariableSource[];
  /** The environment, for `TF_VAR_name`. */
  env: Record<string, string | undefined>;
}

export function parseVarAssignment(text: string): VariableSource {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--var expects name=value, got "${text}"`);
  return { kind: "var", name: text.slice(0, eq), value: text.slice(eq + 1) };
}
