#!/usr/bin/env node
// Runs the fuzz suite with N generated inputs per property (default 10,000) and prints how
// many inputs each reader was given. Usage: npm run fuzz -- --runs N [--seed S]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" }, seed: { type: "string" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`fuzz: --runs must be a whole number greater than 0, not "${values.runs}"`);
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "parapet-fuzz-report-"));
const report = join(work, "counts.jsonl");
const started = Date.now();
const result = spawnSync(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.fuzz.config.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PARAPET_FUZZ_RUNS: String(runs), PARAPET_FUZZ_REPORT: report, ...(values.seed ? { PARAPET_FUZZ_SEED: values.seed } : {}) },
});
const totals = {};
try {
  for (const line of readFileSync(report, "utf8").split("\n").filter(Boolean)) {
    for (const [parser, n] of Object.entries(JSON.parse(line))) totals[parser] = (totals[parser] ?? 0) + n;
  }
} catch {
  // no counts: the suite did not get to report
}
rmSync(work, { recursive: true, force: true });
const failed = result.status !== 0;
console.log(`\nparapet fuzz: ${runs} runs per property, ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed ? "INVARIANT VIOLATIONS (see above)" : "0 invariant violations"}`);
for (const [parser, n] of Object.entries(totals).sort()) console.log(`  ${parser.padEnd(22)} ${String(n).padStart(8)} inputs`);
process.exit(result.status ?? 1);
