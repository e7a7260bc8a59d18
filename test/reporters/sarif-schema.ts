/**
 * The SARIF 2.1.0 JSON schema that @microsoft/sarif-multitool ships beside its binary, compiled
 * with ajv. The file is used unchanged: it declares JSON Schema 2020-12, so Ajv2020 reads it,
 * and ajv-formats checks its `uri`, `uri-reference`, `date-time` and `uuid` formats.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

const require = createRequire(import.meta.url);
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

/** Folder of the platform package (`@microsoft/sarif-multitool-<platform>`), or undefined if it is not installed. */
export function multitoolFolder(): string | undefined {
  try {
    // The wrapper package exports the path of the binary inside the package for this platform.
    return dirname(require("@microsoft/sarif-multitool") as string);
  } catch {
    return undefined;
  }
}

export function sarifSchemaPath(): string {
  const folder = multitoolFolder();
  if (!folder) throw new Error(`@microsoft/sarif-multitool has no package for ${process.platform}; run npm ci`);
  return join(folder, "sarif-2.1.0.json");
}

export function compileSarifSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(sarifSchemaPath(), "utf8")) as Record<string, unknown>;
  // strict mode is off because it rejects the schema's own style ("required" names inside
  // anyOf branches that do not redeclare the properties); validation itself is unaffected.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
