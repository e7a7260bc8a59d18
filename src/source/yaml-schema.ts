/**
 * Reading a YAML file that a JSON Schema describes (rule files, the configuration file):
 * errors name the file, the line and column, and the offending key, in one line.
 */
import { existsSync, readFileSync } from "node:fs";
import { decodeText } from "./decode.js";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import type { Ajv, ErrorObject, Options, ValidateFunction } from "ajv";
import { UsageError } from "../errors.js";
import { didYouMean } from "../names.js";
import { packagePath } from "../paths.js";
import { readYamlSource, type ParsedSource } from "./document.js";

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

function describeError(e: ErrorObject): string {
  // A problem of the whole file reads "unknown key ..."; one inside it names its path first.
  const at = e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")}: ` : "";
  if (e.keyword === "additionalProperties") return `${at}unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === "required") return `${at}missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === "enum") return `${at}must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  if (e.keyword === "oneOf" || e.keyword === "minProperties" || e.keyword === "maxProperties") {
    return `${at}not a valid condition (use all, any, not, attr with one test, fact, ports/covers, related or referrers)`;
  }
  return `${at}${e.message ?? "is invalid"}`;
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

export interface CheckOptions {
  /** Report every problem of the file (one line each), not only the one a person should see first. */
  all?: boolean;
  /** The schema `validate` was compiled from (read when needed): unknown keys are then answered with the nearest known one. */
  schema?: () => unknown;
}

/** The keys the schema allows where an `additionalProperties` error was raised. */
function knownKeys(schema: unknown, e: ErrorObject): string[] {
  let node: unknown = schema;
  for (const part of e.schemaPath.replace(/^#\/?/, "").split("/").slice(0, -1)) {
    if (!node || typeof node !== "object") return [];
    node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  const properties = node && typeof node === "object" ? (node as { properties?: unknown }).properties : undefined;
  return properties && typeof properties === "object" ? Object.keys(properties) : [];
}

/** The value at a path of the document. */
function valueAt(data: unknown, path: (string | number)[]): unknown {
  let node = data;
  for (const part of path) node = node && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined;
  return node;
}

/**
 * The errors a person should see, one per place: each place's most specific error, and
 * none for a value that matches no shape of a `oneOf` when an error inside it says why
 * (a list of presets with one misspelt item).
 */
function errorsByPlace(errors: ErrorObject[]): ErrorObject[] {
  const place = (e: ErrorObject) =>
    e.keyword === "additionalProperties" ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath;
  const groups = new Map<string, ErrorObject[]>();
  for (const e of errors) groups.set(place(e), [...(groups.get(place(e)) ?? []), e]);
  const places = [...groups.keys()];
  return places
    .filter((p) => !(groups.get(p)!.some((e) => e.keyword === "oneOf" || e.keyword === "anyOf") && places.some((q) => q.startsWith(`${p}/`))))
    .map((p) => mostSpecificError(groups.get(p)!));
}

/**
 * Reads `path` as YAML and checks it against `validate`. `what` names the file's kind in
 * messages ("rule", "configuration"). Throws a UsageError on any problem: the first one, or
 * with `options.all` every one, each on its own line as `file:line:column: ...`.
 */
export function readCheckedYaml(path: string, display: string, validate: ValidateFunction, what: string, options: CheckOptions = {}): ParsedSource {
  let decoded;
  try {
    decoded = decodeText(readFileSync(path));
  } catch (e) {
    throw new UsageError(`${display}: cannot read ${what} file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (decoded.invalid) throw new UsageError(`${display}:${decoded.invalid.line}:${decoded.invalid.column}: invalid ${what} file: ${decoded.invalid.message}`);
  const text = decoded.text;
  const parsed = readYamlSource(display, path, text, "yaml");
  if (parsed.diagnostics.length > 0 || parsed.data === undefined) {
    const problems = parsed.diagnostics.length > 0 ? parsed.diagnostics : [{ line: 1, column: 1, message: "empty" }];
    throw new UsageError(
      (options.all ? problems : problems.slice(0, 1)).map((d) => `${display}:${d.line}:${d.column}: invalid ${what} file: ${d.message}`).join("\n"),
    );
  }
  const problems = schemaProblems(parsed, validate, what, options);
  if (problems.length > 0) throw new SchemaErrors(problems, parsed);
  return parsed;
}

/** The file's departures from its schema, as `file:line:column: invalid <what>: ...` lines. */
function schemaProblems(parsed: ParsedSource, validate: ValidateFunction, what: string, options: CheckOptions): string[] {
  if (validate(parsed.data)) return [];
  const errors = validate.errors ?? [];
  const shown = options.all ? errorsByPlace(errors) : [mostSpecificError(errors)];
  return shown.map((e) => {
    const at = pointerToPath(e.instancePath);
    let hint = "";
    if (e.keyword === "additionalProperties") {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      at.push(key);
      if (options.schema !== undefined) hint = didYouMean(key, knownKeys(options.schema(), e));
    } else if (e.keyword === "enum") {
      const value = valueAt(parsed.data, at);
      if (typeof value === "string") hint = didYouMean(value, (e.params as { allowedValues: unknown[] }).allowedValues.map(String));
    }
    const pos = parsed.file.locate(at);
    return `${parsed.file.path}:${pos?.line ?? 1}:${pos?.column ?? 1}: invalid ${what}: ${describeError(e)}${hint}`;
  });
}

/** A file that is valid YAML but breaks its schema: the problems, and the file as read (for checks that add their own). */
export class SchemaErrors extends UsageError {
  constructor(
    readonly problems: string[],
    readonly parsed: ParsedSource,
  ) {
    super(problems.join("\n"));
  }
}
