#!/usr/bin/env node
// Part of the build: compiles the rule and configuration schemas to validation code in
// dist/schemas/, so that a run loads neither Ajv's compiler nor the schema text.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { isRegex, newAjv, PREBUILT_VALIDATORS } from "../dist/source/yaml-schema.js";

const require = createRequire(import.meta.url);
const standaloneCode = require("ajv/dist/standalone").default;
const { _ } = require("ajv");
const schemas = fileURLToPath(new URL("../schemas/", import.meta.url));
mkdirSync(PREBUILT_VALIDATORS, { recursive: true });
// The `regex` format is checked by the same function at run time.
writeFileSync(join(PREBUILT_VALIDATORS, "formats.cjs"), `exports.regex = ${isRegex.toString()};\n`);
for (const name of ["rule.schema", "config.schema"]) {
  const ajv = newAjv({ code: { source: true, formats: _`require("./formats.cjs")` } });
  const validate = ajv.compile(JSON.parse(readFileSync(join(schemas, `${name}.json`), "utf8")));
  writeFileSync(join(PREBUILT_VALIDATORS, `${name}.validate.cjs`), standaloneCode(ajv, validate));
}
console.log("compiled 2 schemas");
