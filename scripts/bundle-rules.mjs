#!/usr/bin/env node
// Part of the build: validates the built-in rule files and writes them as one JSON bundle
// beside the compiled loader, which reads it instead of the YAML files at run time.
import { writeFileSync, rmSync } from "node:fs";
import { BUILTIN_BUNDLE, builtinRules } from "../dist/rules/load.js";

rmSync(BUILTIN_BUNDLE, { force: true }); // never validate against an old bundle
const rules = builtinRules();
writeFileSync(BUILTIN_BUNDLE, JSON.stringify(rules));
console.log(`bundled ${rules.length} built-in rules`);
