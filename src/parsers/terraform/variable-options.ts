/**
 * Terraform variable values given on the command line (kept apart from the evaluator so
 * that reading arguments does not load it).
 */
import { accessSync, constants, statSync } from "node:fs";
import { UsageError } from "../../errors.js";

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


/**
 * Every `--var-file` (and `var-files:` of the configuration) must be a file parapet can open,
 * whether or not the run meets a Terraform root: a misspelt name is a wrong invocation, never
 * an option that silently does nothing. Its content is read (and its errors reported) when a
 * Terraform root is evaluated.
 */
export function checkVarFiles(sources: readonly VariableSource[]): void {
  for (const source of sources) {
    if (source.kind !== "file") continue;
    const shown = `--var-file ${source.shown ?? source.path}`;
    let stat;
    try {
      stat = statSync(source.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`${shown}: ${code === "ENOENT" ? "file not found" : (code ?? (e as Error).message)}`);
    }
    if (!stat.isFile()) throw new UsageError(`${shown}: not a file`);
    try {
      accessSync(source.path, constants.R_OK);
    } catch (e) {
      throw new UsageError(`${shown}: ${(e as NodeJS.ErrnoException).code ?? "cannot be read"}`);
    }
  }
}
