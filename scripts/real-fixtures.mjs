#!/usr/bin/env node
// The corpus of real public templates in test/fixtures/real: lints it through the built command
// line and compares the findings with the reviewed record in test/fixtures/real/expected.json.
//
//   node scripts/real-fixtures.mjs            compare with the record; exit 1 and print a diff if they differ
//   node scripts/real-fixtures.mjs --update   rewrite the record from today's findings
//   node scripts/real-fixtures.mjs --counts   print fail/review/suppressed counts per rule and the parse errors
//   --cli <file>                              lint with another build (e.g. a pristine one, for before/after counts)
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CORPUS = join(ROOT, "test", "fixtures", "real");
export const EXPECTED = join(CORPUS, "expected.json");
export const PARSE_ERRORS = join(CORPUS, "parse-errors.json");
/** The folders of the corpus that are linted; the record, notices and lists next to them are not. */
export const LINTED = ["cloudformation", "terraform"];
export const LINT_ARGS = ["--format", "json", "--no-color", "--config", "corpus.parapet.yaml", "--jobs", "1", ...LINTED];
export const REGENERATE = "node scripts/real-fixtures.mjs --update";

/** The environment of the run: nothing of the caller's shell that parapet reads (TF_VAR_*, colours). */
function quietEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("TF_VAR_") || key === "FORCE_COLOR" || key === "NO_COLOR") continue;
    env[key] = value;
  }
  return env;
}

/** Runs the command line on the corpus from the corpus folder, so that every path is relative to it. */
export function lintCorpus(cli = join(ROOT, "bin", "parapet.js")) {
  const run = spawnSync(process.execPath, [cli, ...LINT_ARGS], {
    cwd: CORPUS,
    env: quietEnvironment(),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`parapet exited with ${run.status}: ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

function findingKind(finding) {
  return finding.suppressions?.length ? "suppressed" : finding.kind;
}

/** One finding as recorded: what a reviewer checks, nothing that changes between runs or machines. */
function recordedFinding(finding) {
  const row = {
    at: `${finding.file}:${finding.line}`,
    rule: finding.ruleId,
    kind: findingKind(finding),
    address: finding.address,
  };
  if (finding.propertyPath) row.path = finding.propertyPath;
  if (finding.ruleId === "parse-error") row.message = finding.message;
  return row;
}

/** Code-point order, the same on every machine and locale. */
function byCodePoint(a = "", b = "") {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fileOf(at) {
  return at.replace(/:\d+$/, "");
}

function lineOf(at) {
  return Number(at.slice(fileOf(at).length + 1));
}

function compareFindings(a, b) {
  return (
    byCodePoint(fileOf(a.at), fileOf(b.at)) ||
    lineOf(a.at) - lineOf(b.at) ||
    byCodePoint(a.rule, b.rule) ||
    byCodePoint(a.address, b.address) ||
    byCodePoint(a.path, b.path) ||
    byCodePoint(a.message, b.message)
  );
}

/** The record of a report: its findings in a stable order and its notes (modules not read, models used). */
export function recordOf(report) {
  return {
    findings: report.findings.map(recordedFinding).sort(compareFindings),
    notes: [...(report.notes ?? [])].sort(byCodePoint),
  };
}

/** The record as written to expected.json: one finding per line, so that a diff shows one line per change. */
export function formatRecord(record) {
  const lines = (items) => items.map((item) => `    ${JSON.stringify(item)}`).join(",\n");
  return `{\n  "command": ${JSON.stringify(`parapet ${LINT_ARGS.join(" ")}`)},\n  "findings": [\n${lines(record.findings)}\n  ],\n  "notes": [\n${lines(record.notes)}\n  ]\n}\n`;
}

export function readExpected() {
  return JSON.parse(readFileSync(EXPECTED, "utf8"));
}

/** Lines present in only one of the two lists, as a unified-diff-like listing. */
export function diffRecords(expected, actual) {
  const out = [];
  for (const key of ["findings", "notes"]) {
    const want = new Set(expected[key].map((x) => JSON.stringify(x)));
    const have = new Set(actual[key].map((x) => JSON.stringify(x)));
    for (const line of want) if (!have.has(line)) out.push(`- ${key}: ${line}`);
    for (const line of have) if (!want.has(line)) out.push(`+ ${key}: ${line}`);
  }
  return out;
}

/** Counts per rule: fail, review, suppressed. Parse errors count under their own id. */
export function countsOf(record) {
  const byRule = {};
  for (const finding of record.findings) {
    byRule[finding.rule] ??= { fail: 0, review: 0, suppressed: 0 };
    byRule[finding.rule][finding.kind] += 1;
  }
  return byRule;
}

function parseErrorFiles(record) {
  return new Set(record.findings.filter((f) => f.rule === "parse-error").map((f) => fileOf(f.at)));
}

/** The files with parse errors, against the list of files that are known to have them and why. */
export function unexpectedParseErrors(record, allowed) {
  const files = parseErrorFiles(record);
  return {
    unlisted: [...files].filter((file) => !(file in allowed)).sort(),
    stale: Object.keys(allowed).filter((file) => !files.has(file)).sort(),
  };
}

function printCounts(record) {
  const counts = countsOf(record);
  const rules = Object.keys(counts).sort();
  const total = { fail: 0, review: 0, suppressed: 0 };
  console.log("rule".padEnd(40) + "fail".padStart(6) + "review".padStart(8) + "suppressed".padStart(12));
  for (const rule of rules) {
    const c = counts[rule];
    for (const kind of Object.keys(total)) total[kind] += c[kind];
    console.log(rule.padEnd(40) + String(c.fail).padStart(6) + String(c.review).padStart(8) + String(c.suppressed).padStart(12));
  }
  console.log("total".padEnd(40) + String(total.fail).padStart(6) + String(total.review).padStart(8) + String(total.suppressed).padStart(12));
  console.log(`parse errors: ${counts["parse-error"]?.fail ?? 0} in ${parseErrorFiles(record).size} file(s)`);
}

function main() {
  const { values } = parseArgs({
    options: { update: { type: "boolean" }, counts: { type: "boolean" }, cli: { type: "string" } },
  });
  const record = recordOf(lintCorpus(values.cli));
  if (values.counts) return printCounts(record);
  if (values.update) {
    writeFileSync(EXPECTED, formatRecord(record));
    console.log(`wrote ${relative(process.cwd(), EXPECTED)}: ${record.findings.length} findings, ${record.notes.length} notes`);
    return;
  }
  const diff = diffRecords(readExpected(), record);
  if (diff.length === 0) return console.log(`the findings match ${relative(process.cwd(), EXPECTED)}`);
  console.log(diff.join("\n"));
  console.log(`\n${diff.length} difference(s); after reviewing them, regenerate with: ${REGENERATE}`);
  process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
