/**
 * Reading a YAML file that a JSON Schema describes (rule files, the configuration file):
 * errors name the file, the line and column, and the offending key, in one line.
 */
import { existsSync, readFileSync } from "node:fs";
import { decodeText } from "../source/decode.js";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import type { Ajv, ErrorObject, Options, ValidateFunction } from "ajv";
import { UsageError } from "../errors.js";
import { packagePath } from "../paths.js";
import { readYamlSource, type ParsedSource } from "../parsers/cloudformation/source.js";

const require = createRequire(import.meta.url);

/** The `regex` format of parapet's schemas: a valid JavaScript regular expression. */
export function isRegex(s: string): boolean {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}

/** An Ajv instance with parapet's options and formats (the build also uses it to write validators as code). */
export function newAjv(options: Options = {}): Ajv {
  const { Ajv: AjvClass } = require("ajv") as typeof import("ajv");
  const ajv = new AjvClass({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, ...options });
  ajv.addFormat("regex", isRegex);
  return ajv;
}

/** Where the build writes each schema's validator as code (`dist/schemas/NAME.validate.cjs`). */
export const PREBUILT_VALIDATORS = packagePath("dist", "schemas");

/**
 * The validator of a schema: the one the build compiled to code when it exists, so that a run
 * neither loads Ajv nor compiles the schema; otherwise (tests run the sources) compiled now.
 */
export function compileSchema(schemaPath: string): ValidateFunction {
  const prebuilt = join(PREBUILT_VALIDATORS, `${basename(schemaPath, ".json")}.validate.cjs`);
  if (existsSync(prebuilt)) return require(prebuilt) as ValidateFunction;
  return newAjv().compile(JSON.parse(readFileSync(schemaPath, "utf8")));
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeError(e: ErrorObject, what: string): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : `the ${what}`;
  if (e.keyword === "additionalProperties") return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === "required") return `${at}: missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === "enum") return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  if (e.keyword === "oneOf" || e.keyword === "minProperties" || e.keyword === "maxProperties") {
    return `${at}: not a valid condition (use all, any, not, attr with one test, fact, ports/covers, related or referrers)`;
  }
  return `${at}: ${e.message ?? "is invalid"}`;
}

/**
 * Picks the error a person should see. Conditions are a `oneOf` of shapes told apart by
 * their key (`all`, `attr`, `related`, ...): branches that miss their own key are not the
 * shape the author meant, so their errors are dropped.
 */
function mostSpecificError(errors: ErrorObject[]): ErrorObject {
  const deepest = Math.max(...errors.map((e) => e.instancePath.length));
  const atDeepest = errors.filter((e) => e.instancePath.length === deepest && e.keyword !== "oneOf" && e.keyword !== "if");
  const branchOf = (e: ErrorObject) => /.*\/oneOf\/(\d+)\//.exec(e.schemaPath)?.[1] ?? "";
  const wrongShape = new Set(atDeepest.filter((e) => e.keyword === "required").map(branchOf).filter((b) => b !== ""));
  const candidates = atDeepest.filter((e) => !wrongShape.has(branchOf(e)));
  const pool = candidates.length > 0 ? candidates : atDeepest.length > 0 ? atDeepest : errors;
  return pool.find((e) => e.keyword === "additionalProperties") ?? pool[0]!;
}

/**
 * Reads `path` as YAML and checks it against `validate`. `what` names the file's kind in
 * messages ("rule", "configuration"). Throws a UsageError on any problem.
 */
export function readCheckedYaml(path: string, display: string, validate: ValidateFunction, what: string): ParsedSource {
  let decoded;
  try {
    decoded = decodeText(readFileSync(path));
  } catch (e) {
    throw new UsageError(`${display}: cannot read ${what} file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (decoded.invalid) throw new UsageError(`${display}:${decoded.invalid.line}:${decoded.invalid.column}: invalid ${what} file: ${decoded.invalid.message}`);
  const text = decoded.text;
  const parsed = readYamlSource(display, path, text, "yaml");
  const problem = parsed.diagnostics[0];
  if (problem || parsed.data === undefined) {
    throw new UsageError(`${display}:${problem?.line ?? 1}:${problem?.column ?? 1}: invalid ${what} file: ${problem?.message ?? "empty"}`);
  }
  if (!validate(parsed.data)) {
    const e = mostSpecificError(validate.errors ?? []);
    const at = pointerToPath(e.instancePath);
    if (e.keyword === "additionalProperties") at.push((e.params as { additionalProperty: string }).additionalProperty);
    const pos = parsed.file.locate(at);
    throw new UsageError(`${display}:${pos?.line ?? 1}:${pos?.column ?? 1}: invalid ${what}: ${describeError(e, what)}`);
  }
  return parsed;
}
