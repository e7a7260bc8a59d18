#!/usr/bin/env node
// The findings of every corpus of the project, recorded as one digest: examples/, each folder of
// test/fixtures/, the benchmark corpus (bench/corpus.mjs, fixed seed, the quick size) and the seed
// templates of the fuzz suite (the examples of the built-in rules). Each corpus is linted by the
// built command line (bin/parapet.js, so run `npm run build` first) with JSON output, one thread
// and no colour, from a fixed folder; the report, with parapet's version and the scratch folder's
// path taken out, is hashed. A change of the code that must not change behaviour (a restructuring)
// is checked by comparing the digest before and after.
//
//   node scripts/findings-snapshot.mjs            compare with the record; exit 1 and print what moved
//   node scripts/findings-snapshot.mjs --update   rewrite the record (test/fixtures/findings-snapshot.json)
//   --only <prefix,...>                           run only the corpora whose id starts so (ids as in the record:
//                                                 examples, fixtures/cdk, bench, fuzz-seeds, ...)
//   --cli <file>                                  lint with another build
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { generateCorpus } from "../bench/corpus.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SNAPSHOT = join(ROOT, "test", "fixtures", "findings-snapshot.json");
const FIXTURES = join(ROOT, "test", "fixtures");
/** Where the built-in rules and their examples (the fuzz suite's seed templates) are written. */
const RULES_DIR = join(ROOT, "src", "rules", "builtin");
const BENCH_SEED = 1;
const REGENERATE = "npm run findings:snapshot";
/** Every rule: the default preset and the two that add to it. */
const ALL_RULES = ["--preset", "strict", "--preset", "account"];
/** A corpus with at most this many findings keeps them in the record, so a change shows old and new. */
export const ROWS_UP_TO = 150;
/** Text output of at most this many lines is kept whole; a longer one keeps its lines that are not "ok". */
const LINES_UP_TO = 60;
/**
 * Folders of test/fixtures that are not a corpus of their own. A new folder must be added to
 * {@link corpora} or here, so that no fixture is left out by accident.
 */
const NOT_LINTED = {
  "cdk-apps": "the CDK apps that test/fixtures/cdk is synthesized from (JavaScript, not templates)",
};

/**
 * The corpora: an id, the folder the command runs in and its arguments. `text: true` records the
 * text output (the rule self-test); every other run adds `--format json --no-color --jobs 1`.
 */
function corpora(scratch) {
  const ex = (id, args) => ({ id: `examples${id}`, cwd: ROOT, args });
  const fixture = (id, args, cwd = ROOT) => ({ id: `fixtures/${id}`, cwd, args });
  const cdkApps = findAssemblies(join(FIXTURES, "cdk")).map((dir) => fixture(relative(FIXTURES, dir), [...ALL_RULES, relative(ROOT, dir)]));
  const cli = join(FIXTURES, "cli");
  const bench = join(scratch, "bench");
  const benchSets = [
    ["small", "small"],
    ["yaml", "yaml"],
    ["json", "json"],
    ["big", "big"],
    ["tf-modules", "tf-modules"],
    ["tf-large", "tf-large"],
  ];
  return [
    ex("", ["examples"]),
    ex(" (every rule and examples/policies)", [...ALL_RULES, "--rules", "examples/policies", "examples"]),
    ex("/cloudformation --param-file prod.json", ["--param-file", "examples/cloudformation/params/prod.json", "examples/cloudformation"]),
    ex("/cloudformation --param AdminCidr", ["--param", "AdminCidr=10.8.0.0/16", "examples/cloudformation"]),
    ex("/terraform --var-file staging.tfvars", ["--var-file", "examples/terraform/env/staging.tfvars", "examples/terraform"]),
    ex("/terraform --var web_ingress_ports", ["--var", "web_ingress_ports=[80,443]", "examples/terraform"]),
    { id: "examples/policies (parapet test)", cwd: ROOT, args: ["test", "examples/policies"], text: true },
    ...cdkApps,
    fixture("cdk-legacy", [...ALL_RULES, "test/fixtures/cdk-legacy"]),
    fixture("cli/clean", [...ALL_RULES, "clean"], cli),
    fixture("cli/mixed", [...ALL_RULES, "mixed"], cli),
    fixture("cli/mixed/admin.yaml --param-file params.json", ["--param-file", "params.json", "mixed/admin.yaml"], cli),
    fixture("cli/mixed/admin.yaml --param-file params-cp.json", ["--param-file", "params-cp.json", "mixed/admin.yaml"], cli),
    fixture("terraform/plan/plan-only", [...ALL_RULES, "test/fixtures/terraform/plan/plan-only"]),
    fixture("terraform/plan/with-config", [...ALL_RULES, "test/fixtures/terraform/plan/with-config"]),
    fixture("rules/good --rules", [...ALL_RULES, "--rules", "test/fixtures/rules/good", "examples/cloudformation"]),
    ...readdirSync(join(FIXTURES, "rules"))
      .sort()
      .map((name) => ({ id: `fixtures/rules/${name} (parapet test)`, cwd: ROOT, args: ["test", `test/fixtures/rules/${name}`], text: true })),
    // The same corpus as `npm run real:check`, with every rule and every field of the findings.
    fixture("real", ["--config", "corpus.parapet.yaml", ...ALL_RULES, "cloudformation", "terraform"], join(FIXTURES, "real")),
    ...benchSets.map(([id, path]) => ({ id: `bench/${id}`, cwd: bench, args: [...ALL_RULES, path], prepare: () => prepareBench(bench) })),
    { id: "fuzz-seeds", cwd: join(scratch, "seeds"), args: [...ALL_RULES, "."], prepare: () => writeSeeds(join(scratch, "seeds")) },
    { id: "fuzz-seeds (parapet test)", cwd: ROOT, args: ["test"], text: true },
  ];
}

/** The top-level folders of test/fixtures each corpus reads (the first part of its id). */
const FIXTURE_FOLDERS = ["cdk", "cdk-legacy", "cli", "terraform", "rules", "real"];

function findAssemblies(dir) {
  if (existsSync(join(dir, "cdk.out"))) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .flatMap((name) => findAssemblies(join(dir, name)));
}

function prepareBench(dir) {
  if (!existsSync(join(dir, "manifest.json"))) generateCorpus(dir, { seed: BENCH_SEED, quick: true });
}

/** Writes each example of each built-in rule to `<rule>/<n>/`, with its extra files. */
function writeSeeds(dir) {
  if (existsSync(dir)) return;
  if (!existsSync(RULES_DIR)) throw new Error(`the built-in rules are not at ${relative(ROOT, RULES_DIR)}; update RULES_DIR in scripts/findings-snapshot.mjs`);
  for (const name of readdirSync(RULES_DIR).filter((f) => f.endsWith(".yaml")).sort()) {
    const rule = parseYaml(readFileSync(join(RULES_DIR, name), "utf8"));
    (rule.examples ?? []).forEach((example, n) => {
      for (const [path, text] of Object.entries({ [example.file]: example.template, ...(example.files ?? {}) })) {
        const target = join(dir, rule.id, String(n + 1).padStart(2, "0"), path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, text);
      }
    });
  }
}

/** The environment of a run: nothing of the caller's shell that parapet reads. */
function quietEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("TF_VAR_") || key.startsWith("PARAPET_") || key === "FORCE_COLOR" || key === "NO_COLOR" || key === "CI") continue;
    env[key] = value;
  }
  return env;
}

/** Replaces the machine's paths in every string: the scratch folder and the checkout. */
export function normaliser(scratch) {
  const pairs = [];
  for (const [path, name] of [
    [scratch, "<scratch>"],
    [ROOT.replace(/\/$/, ""), "<repo>"],
    [tmpdir(), "<tmp>"],
  ]) {
    for (const p of new Set([path, realpathSync(path)])) pairs.push([p, name]);
  }
  const text = (s) => pairs.reduce((out, [p, name]) => out.split(p).join(name), s);
  const value = (v) => {
    if (typeof v === "string") return text(v);
    if (Array.isArray(v)) return v.map(value);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v;
  };
  return { text, value };
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const short = (text) => sha256(text).slice(0, 16);

/** Standard error without lines of Node itself (warnings of the runtime). */
function stderrLines(stderr, norm) {
  return norm
    .text(stderr)
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("(node:") && !line.startsWith("(Use `node --trace"));
}

function row(f) {
  const kind = f.suppressions?.length ? `${f.kind}, suppressed` : f.kind;
  const path = f.propertyPath ? ` [${f.propertyPath}]` : "";
  return `${f.file}:${f.line}:${f.column} ${f.ruleId} (${kind}) ${f.address ?? ""}${path}: ${f.message}`;
}

/** Per value of `key` (the file, the rule): the number of findings and a hash of them. */
function groupedBy(findings, key) {
  const groups = new Map();
  for (const f of findings) groups.set(f[key], [...(groups.get(f[key]) ?? []), f]);
  const sorted = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(sorted.map(([value, fs]) => [value, `${fs.length} ${short(JSON.stringify(fs))}`]));
}
const byFileOf = (findings) => groupedBy(findings, "file");
const byRuleOf = (findings) => groupedBy(findings, "ruleId");
/** Lines of today's findings shown for one corpus whose findings are not in the record. */
const SHOWN_UP_TO = 40;

function countsOf(findings) {
  const counts = { findings: findings.length, fail: 0, review: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressions?.length) counts.suppressed += 1;
    else if (f.kind in counts) counts[f.kind] += 1;
  }
  return counts;
}

/** Runs one corpus and returns its record. */
function record(corpus, cli, norm) {
  corpus.prepare?.();
  const args = corpus.text ? corpus.args : [...corpus.args, "--format", "json", "--no-color", "--jobs", "1"];
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: corpus.cwd, env: quietEnvironment(), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (!corpus.text && run.status !== 0 && run.status !== 1) throw new Error(`${corpus.id}: parapet ${args.join(" ")} exited with ${run.status}: ${run.stderr}`);
  const where = { command: `parapet ${args.join(" ")}`, cwd: corpus.cwd.startsWith(ROOT) ? relative(ROOT, corpus.cwd) || "." : norm.text(corpus.cwd) };
  return recordOfRun({ ...run, text: corpus.text }, norm, where);
}

/**
 * The record of one run (`status`, `stdout`, `stderr`; `text` for text output): the digest of the
 * normalised output and what is kept to show a change. `current` (today's findings) is not written.
 */
export function recordOfRun(run, norm, where = {}) {
  const stderr = stderrLines(run.stderr, norm);
  const base = { ...where, exit: run.status };
  if (run.text) {
    const output = norm.text(run.stdout).split("\n").filter((l) => l !== "");
    const kept = output.length <= LINES_UP_TO ? { output } : { lines: output.length, notOk: output.filter((l) => !l.startsWith("ok ")) };
    return { ...base, sha256: sha256(JSON.stringify({ exit: run.status, output, stderr })), ...kept, stderr };
  }
  const report = norm.value(JSON.parse(run.stdout));
  if (report.tool) report.tool.version = "<version>";
  const { findings = [], ...rest } = report;
  const parts = {
    findings: short(JSON.stringify(findings)),
    report: short(JSON.stringify(rest)),
    stderr: short(JSON.stringify(stderr)),
  };
  const out = { ...base, sha256: sha256(JSON.stringify({ exit: run.status, report, stderr })), parts, ...countsOf(findings), files: report.files?.length ?? 0, notes: report.notes?.length ?? 0 };
  // Too many findings to keep: per file and per rule, how many and a hash of them, so that a change names them.
  if (findings.length <= ROWS_UP_TO) out.rows = findings.map(row);
  else Object.assign(out, { byRule: byRuleOf(findings), byFile: byFileOf(findings) });
  if (stderr.length) out.stderr = stderr;
  out.current = findings;
  return out;
}

/** A record as the file keeps it. */
export function withoutCurrent(rec) {
  const { current, ...rest } = rec;
  return rest;
}

/** Lines in only one of the two lists, `-` for the record, `+` for today. */
function listDiff(want = [], have = []) {
  const count = (xs) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map());
  const w = count(want);
  const h = count(have);
  const out = [];
  for (const [x, n] of w) for (let i = h.get(x) ?? 0; i < n; i++) out.push(`  - ${x}`);
  for (const [x, n] of h) for (let i = w.get(x) ?? 0; i < n; i++) out.push(`  + ${x}`);
  return out;
}

/** What moved in one corpus, readable. */
export function explain(id, want, have) {
  const out = [`${id}: changed (${have.command}, in ${have.cwd})`];
  if (!want) return [`${id}: not in the record (new corpus)`];
  if (want.exit !== have.exit) out.push(`  exit code ${want.exit} -> ${have.exit}`);
  const stderrDiff = () => listDiff(want.stderr, have.stderr).map((l) => l.replace(/^ {2}([-+])/, "  $1 stderr:"));
  if (have.output && want.output) {
    out.push(...listDiff(want.output, have.output), ...stderrDiff());
  } else if (have.output || have.notOk) {
    if (want.lines !== have.lines) out.push(`  ${want.lines ?? want.output?.length} lines of output -> ${have.lines ?? have.output.length}`);
    out.push(...listDiff(want.notOk, have.notOk ?? have.output), ...stderrDiff());
  } else {
    const counts = ["findings", "fail", "review", "suppressed", "files", "notes"].filter((k) => want[k] !== have[k]).map((k) => `${k} ${want[k]} -> ${have[k]}`);
    if (counts.length) out.push(`  ${counts.join(", ")}`);
    const parts = Object.keys(have.parts ?? {}).filter((k) => want.parts?.[k] !== have.parts[k]);
    if (parts.includes("report")) out.push("  the rest of the report changed (summary, files, notes or links)");
    if (want.rows) {
      const diff = listDiff(want.rows, have.current.map(row));
      if (diff.length) out.push(...diff);
      else if (parts.includes("findings")) out.push("  the same findings (file, line, rule, message) in another order, or another field of them changed (fingerprint, related, end position, ...)");
    } else if (want.byFile) {
      // The record has counts and hashes per file and per rule: today's findings of the files and
      // rules whose hash moved are what changed.
      const changed = (recorded = {}, now) => {
        const keys = [...new Set([...Object.keys(recorded), ...Object.keys(now)])].sort();
        return keys.filter((k) => recorded[k] !== now[k]).map((k) => ({ key: k, was: Number((recorded[k] ?? "0").split(" ")[0]), now: Number((now[k] ?? "0").split(" ")[0]) }));
      };
      const count = ({ key, was, now }) => `${key} ${was}${was === now ? " (same count, other findings)" : ` -> ${now}`}`;
      const rules = changed(want.byRule, byRuleOf(have.current));
      const files = changed(want.byFile, byFileOf(have.current));
      if (rules.length) out.push(`  rules: ${rules.map(count).join(", ")}`);
      if (files.length) out.push(`  files: ${files.slice(0, SHOWN_UP_TO).map(count).join(", ")}${files.length > SHOWN_UP_TO ? `, and ${files.length - SHOWN_UP_TO} more` : ""}`);
      const ruleIds = new Set(rules.map((r) => r.key));
      const fileNames = new Set(files.map((f) => f.key));
      const today = have.current.filter((f) => fileNames.has(f.file) && (ruleIds.size === 0 || ruleIds.has(f.ruleId))).map(row);
      if (today.length) out.push("  today's findings of those files and rules (the record keeps only their hashes):");
      out.push(...today.slice(0, SHOWN_UP_TO).map((r) => `    ${r}`));
      if (today.length > SHOWN_UP_TO) out.push(`    ... and ${today.length - SHOWN_UP_TO} more`);
    }
    out.push(...stderrDiff());
  }
  return out;
}

function formatSnapshot(records) {
  const lines = [`{`, `  "regenerate": ${JSON.stringify(REGENERATE)},`, `  "benchSeed": ${BENCH_SEED},`, `  "corpora": {`];
  const entries = Object.entries(records);
  entries.forEach(([id, rec], i) => {
    const body = Object.entries(withoutCurrent(rec)).map(([k, v]) => {
      if (Array.isArray(v)) return `      ${JSON.stringify(k)}: [${v.length ? `\n${v.map((x) => `        ${JSON.stringify(x)}`).join(",\n")}\n      ` : ""}]`;
      if (k === "byFile" || k === "byRule") return `      ${JSON.stringify(k)}: {\n${Object.entries(v).map(([f, d]) => `        ${JSON.stringify(f)}: ${JSON.stringify(d)}`).join(",\n")}\n      }`;
      return `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    });
    lines.push(`    ${JSON.stringify(id)}: {\n${body.join(",\n")}\n    }${i < entries.length - 1 ? "," : ""}`);
  });
  lines.push("  }", "}");
  return `${lines.join("\n")}\n`;
}

function checkFixtureFolders() {
  const folders = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const missing = folders.filter((name) => !FIXTURE_FOLDERS.includes(name) && !(name in NOT_LINTED));
  if (missing.length) {
    throw new Error(`test/fixtures/${missing.join(", test/fixtures/")}: not a corpus of scripts/findings-snapshot.mjs; add it to corpora() or to NOT_LINTED with the reason`);
  }
}

function main() {
  const { values } = parseArgs({ options: { update: { type: "boolean" }, only: { type: "string" }, cli: { type: "string" } } });
  const cli = values.cli ?? join(ROOT, "bin", "parapet.js");
  checkFixtureFolders();
  const scratch = realpathSync(mkdtempSync(join(tmpdir(), "parapet-snapshot-")));
  const norm = normaliser(scratch);
  const only = values.only ? new Set(values.only.split(",")) : null;
  const started = Date.now();
  const records = {};
  try {
    for (const corpus of corpora(scratch)) {
      if (only && ![...only].some((prefix) => corpus.id.startsWith(prefix))) continue;
      records[corpus.id] = record(corpus, cli, norm);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ids = Object.keys(records);
  if (values.update) {
    if (only) {
      // Keep the other corpora's records as they were.
      const previous = existsSync(SNAPSHOT) ? JSON.parse(readFileSync(SNAPSHOT, "utf8")).corpora : {};
      for (const id of Object.keys(previous)) if (!(id in records)) records[id] = previous[id];
    }
    writeFileSync(SNAPSHOT, formatSnapshot(records));
    const total = Object.values(records).reduce((n, r) => n + (r.findings ?? 0), 0);
    console.log(`wrote ${relative(process.cwd(), SNAPSHOT)}: ${Object.keys(records).length} corpora, ${total} findings (${seconds} s)`);
    return;
  }
  if (!existsSync(SNAPSHOT)) {
    console.log(`no record at ${relative(process.cwd(), SNAPSHOT)}; write it with: ${REGENERATE}`);
    process.exitCode = 1;
    return;
  }
  const expected = JSON.parse(readFileSync(SNAPSHOT, "utf8")).corpora;
  const report = [];
  for (const id of ids) if (expected[id]?.sha256 !== records[id].sha256) report.push(...explain(id, expected[id], records[id]));
  if (!only) for (const id of Object.keys(expected)) if (!(id in records)) report.push(`${id}: in the record, no longer run`);
  if (report.length === 0) {
    console.log(`the findings of ${ids.length} corpora match ${relative(process.cwd(), SNAPSHOT)} (${seconds} s)`);
    return;
  }
  console.log(report.join("\n"));
  console.log(`\nthe findings differ from ${relative(process.cwd(), SNAPSHOT)}; if the change is meant, regenerate with: ${REGENERATE}`);
  process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
