#!/usr/bin/env node
// Writes rules.md from the built-in rule files (run `npm run build` first; `npm run rules:doc` does both).
// With --check, exits 1 when rules.md differs from what the rule files generate.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderCatalogue } from "../dist/rules/catalogue.js";
import { builtinRules } from "../dist/rules/load.js";

const target = fileURLToPath(new URL("../rules.md", import.meta.url));
const text = renderCatalogue(builtinRules());
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== text) {
    console.error("rules.md is stale: run `npm run rules:doc` and commit the result");
    process.exit(1);
  }
  console.log("rules.md is current");
} else {
  writeFileSync(target, text);
  console.log(`wrote rules.md (${builtinRules().length} rules)`);
}
