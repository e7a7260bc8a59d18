#!/usr/bin/env node
// Writes the generated catalogues from their single sources of truth (run `npm run build`
// first; `npm run rules:doc` does both): rules.md from the rule files, docs/kinds.md from the
// adapter tables. With --check, exits 1 when a committed catalogue differs.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderCatalogue } from "../dist/rules/catalogue.js";
import { renderKinds } from "../dist/rules/kinds-catalogue.js";
import { builtinRules } from "../dist/rules/load.js";
import { CLOUDFORMATION_KINDS } from "../dist/parsers/cloudformation/adapters.js";
import { TERRAFORM_KINDS } from "../dist/parsers/terraform/adapters.js";

const outputs = [
  ["rules.md", renderCatalogue(builtinRules())],
  ["docs/kinds.md", renderKinds({ cloudformation: CLOUDFORMATION_KINDS, terraform: TERRAFORM_KINDS })],
];
let stale = 0;
for (const [name, text] of outputs) {
  const target = fileURLToPath(new URL(`../${name}`, import.meta.url));
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {}
    if (current !== text) {
      console.error(`${name} is stale: run \`npm run rules:doc\` and commit the result`);
      stale++;
    } else console.log(`${name} is current`);
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${name}`);
  }
}
process.exit(stale ? 1 : 0);
