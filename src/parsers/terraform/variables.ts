/**
 * Values of a root module's variables, in Terraform's precedence order (later wins):
 * `TF_VAR_name` environment variables, `terraform.tfvars`, `terraform.tfvars.json`,
 * `*.auto.tfvars` / `*.auto.tfvars.json` in name order, then `--var-file` and `--var` in
 * the order they were given. Declared defaults apply where none of these sets a value.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import { activeLimits } from "../../limits/budget.js";
import { findTooDeep } from "../../limits/depth.js";
import { limitMessage } from "../../limits/limits.js";
import { EncodingError, readSourceText, TERRAFORM_UTF8 } from "../../source/read.js";
import { join } from "node:path";
import { isInsideResolved } from "../../source/paths.js";
import { UsageError } from "../../errors.js";
import type { VariableOptions } from "../../model/variable-options.js";
import { emptyMap, Unknown, type Resolved, isRecord, type Shape } from "../../values/value.js";
import { evaluateValue, type ExpressionCache, type ExpressionScope } from "./expressions.js";
import { hclDiagnostic } from "./files.js";
import { hcl2json } from "./hcl.js";
import { conform, readType, typeShape, type TypeConstraint } from "./type-constraints.js";
import { validatedFacts, type ValidatedFacts } from "./validations.js";

/** tfvars hold literal values only: a reference in one is unknown. */
const NO_REFERENCES: ExpressionScope = {
  reference: (parts) => new Unknown(`${parts.join(".")} cannot be used in a variables file`),
};

/** Reads a tfvars file (HCL or JSON) into values. Throws `bad` with a message for a broken file. */
async function readVarFile(path: string, cache: ExpressionCache): Promise<Record<string, Resolved>> {
  const text = readSourceText(path, TERRAFORM_UTF8);
  const limits = activeLimits();
  if (findTooDeep(text, path.endsWith(".json") ? "json" : "hcl", limits.maxDepth) !== undefined) {
    throw new Error(limitMessage("maxDepth", limits, `the values are nested more than ${limits.maxDepth} levels deep`));
  }
  let data: unknown;
  if (path.endsWith(".json")) data = JSON.parse(text);
  else data = await (await hcl2json()).parse(path, text);
  if (!isRecord(data)) return {};
  await cache.prepare(data);
  const out = emptyMap();
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) out[k] = evaluateValue(v, NO_REFERENCES, cache);
  return out;
}

/** A value given as text (`--var`, `TF_VAR_`): lists and maps are written as JSON or HCL literals. */
function textValue(text: string): Resolved {
  const t = text.trim();
  if (t.startsWith("[") || t.startsWith("{")) {
    try {
      return JSON.parse(t) as Resolved;
    } catch {
      // Not JSON: keep the text, as Terraform would for a string variable.
    }
  }
  return text;
}

export interface RootVariables {
  values: Map<string, Resolved>;
  /**
   * Values given for variables the root does not declare. Terraform rejects a reference to
   * such a variable; parapet reads it with this value and tells the user.
   */
  undeclared: Map<string, Resolved>;
  /** Problems with variable files of the folder (they do not stop the scan). */
  problems: string[];
}

/**
 * Why an automatically loaded variables file is not read, or undefined when it may be: a
 * symbolic link is followed only to a file inside `boundary` (the folder the scan may read),
 * as for the module's own files; a file named on the command line is the user's choice.
 */
function autoFileNotRead(path: string, boundary: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    statSync(path); // a link that leads nowhere or in a loop cannot be followed
    return isInsideResolved(boundary, path) ? undefined : "a symbolic link to a file outside the scanned folder; its variables are not read";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `a symbolic link that cannot be followed (${code === "ENOENT" ? "its target does not exist" : (code ?? (e as Error).message)}); its variables are not read`;
  }
}

export async function rootVariables(dir: string, declared: Iterable<string>, options: VariableOptions, cache: ExpressionCache, boundary = dir): Promise<RootVariables> {
  const names = new Set(declared);
  const values = new Map<string, Resolved>();
  const undeclared = new Map<string, Resolved>();
  const problems: string[] = [];
  const set = (name: string, value: Resolved) => {
    (names.has(name) ? values : undeclared).set(name, value);
  };
  for (const [key, value] of Object.entries(options.env)) {
    if (key.startsWith("TF_VAR_") && value !== undefined) set(key.slice("TF_VAR_".length), textValue(value));
  }
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    entries = [];
  }
  const auto = entries.filter((n) => n.endsWith(".auto.tfvars") || n.endsWith(".auto.tfvars.json")).sort();
  const files = [...["terraform.tfvars", "terraform.tfvars.json"].filter((n) => entries.includes(n)), ...auto];
  for (const name of files) {
    const skipped = autoFileNotRead(join(dir, name), boundary);
    if (skipped !== undefined) {
      problems.push(`${name}: ${skipped}`);
      continue;
    }
    try {
      for (const [k, v] of Object.entries(await readVarFile(join(dir, name), cache))) set(k, v);
    } catch (e) {
      problems.push(`${name}: cannot read variables (${(e as Error).message.split("\n")[0]})`);
    }
  }
  for (const source of options.sources) {
    if (source.kind === "var") {
      set(source.name, textValue(source.value));
      continue;
    }
    let fileValues: Record<string, Resolved>;
    try {
      fileValues = await readVarFile(source.path, cache);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const message = (e as Error).message;
      const why = code === "ENOENT" ? "file not found" : code ? code : message.startsWith("limit exceeded") || e instanceof EncodingError ? message : hclDiagnostic(message).message;
      const at = e instanceof EncodingError ? `:${e.line}:${e.column}` : "";
      throw new UsageError(`--var-file ${source.shown ?? source.path}${at}: ${why}`);
    }
    for (const [k, v] of Object.entries(fileValues)) set(k, v);
  }
  return { values, undeclared, problems };
}

/** A declared variable's value as its `type` converts it (`optional` defaults applied). */
export function declaredValue(value: Resolved, body: Record<string, unknown>, cache: ExpressionCache): Resolved {
  return conform(value, readType(body["type"], cache));
}

/**
 * The value of a variable that nothing sets: unknown, with what its `type` and `validation`
 * blocks guarantee. A `contains` list gives the possible values; an object type gives an
 * object whose attributes are unknown (each with its type's shape).
 */
export function unsetVariable(name: string, body: Record<string, unknown>, cache: ExpressionCache): Resolved {
  return unsetValue(readType(body["type"], cache), `var.${name} has no value`, validatedFacts(name, body, cache));
}

function unsetValue(type: TypeConstraint, reason: string, facts: ValidatedFacts): Resolved {
  if (facts.possible && facts.possible.length > 0) return new Unknown(reason, { possible: facts.possible.map((v) => conform(v, type)) });
  if (type.kind === "object") {
    const out = emptyMap();
    for (const [key, attribute] of type.attributes) out[key] = unsetValue(attribute.type, reason, { patterns: [] });
    return out;
  }
  const shape = withFacts(typeShape(type), type, facts);
  return new Unknown(reason, shape ? { shape } : {});
}

/** The type's shape narrowed by the validated patterns and bounds that apply to a value of that type. */
function withFacts(base: Shape | undefined, type: TypeConstraint, facts: ValidatedFacts): Shape | undefined {
  const scalar = type.kind === "string" || type.kind === "number" || type.kind === "any";
  if (!scalar) return base;
  const shape: Shape = { ...base };
  const patterns = [...(base?.pattern ? [base.pattern] : []), ...facts.patterns];
  // Every pattern holds: all but the last are lookaheads over the whole value.
  if (patterns.length > 0) shape.pattern = patterns.map((p, i) => (i < patterns.length - 1 ? `(?=(?:${p})$)` : `(?:${p})`)).join("");
  if (type.kind !== "number") {
    if (facts.minLength !== undefined) shape.minLength = facts.minLength;
    if (facts.maxLength !== undefined) shape.maxLength = facts.maxLength;
  }
  if (facts.min !== undefined) shape.min = facts.min;
  if (facts.max !== undefined) shape.max = facts.max;
  return Object.keys(shape).length > 0 ? shape : undefined;
}
