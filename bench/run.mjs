#!/usr/bin/env node
/**
 * parapet's benchmark: times whole processes over a generated corpus and prints, for every
 * figure, the medians of parapet and of its reference measured in alternation in the same
 * run, their ratio, the target and whether it holds. See docs/performance.md.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, mkdirSync, chmodSync, statSync, writeFileSync } from "node:fs";
import { cpus, homedir, tmpdir, platform, arch, loadavg } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCorpus } from "./corpus.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FLOOR = fileURLToPath(new URL("./floor.mjs", import.meta.url));
const EXAMPLES = join(ROOT, "examples");
/** The release of the package that ships cfn-guard and the Control Tower rules. */
const GUARD_PACKAGE = "@cdklabs/cdk-validator-cfnguard";
const GUARD_VERSION = "0.0.62";
/** Control Tower rule folders for the resources of the corpus (the EBS rules are in ec2). */
const GUARD_RULES = ["ec2", "cloudtrail", "keymanagementservice"];

const USAGE = `Usage: npm run bench -- [options]

  --runs N            timed runs of each command, in alternation (default 5)
  --peer-runs N       timed runs of cfn-guard (default 1; it takes minutes on the big cases)
  --growth-runs N     timed runs of the 10,000-template case (default 3)
  --warmup N          untimed runs of each command before the timed ones (default 1;
                      none for cfn-guard and the growth case)
  --quick             a corpus a tenth the size (targets are set for the full one)
  --only <ids>        run only these cases (comma-separated): ${"first-run, small, yaml, big, json, tf-file, tf-modules, growth, tf-large"}
                      tf-large (the 20 large .tf files, no target) runs only when named
  --parapet <file>    parapet's bin script (default: bin/parapet.js of this checkout)
  --parapet-args "…"  more arguments for parapet, e.g. "--jobs 2" or "--cache"
  --no-peer           do not install or run cfn-guard
  --guard-cache <dir> where cfn-guard is installed (default ~/.cache/parapet-bench)
  --seed N            corpus seed (default 1)
  --corpus <dir>      write the corpus here and keep it (default: a temporary folder)
  --json              print the results as JSON
  --from <file>       print the table of a run saved with --json again (with --markdown:
                      as Markdown) instead of measuring
  --markdown          print the table of figures as Markdown
  -h, --help          print this help`;

// ---------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  const o = {
    runs: 5,
    peerRuns: 1,
    growthRuns: 3,
    warmup: 1,
    quick: false,
    only: null,
    parapet: join(ROOT, "bin", "parapet.js"),
    parapetArgs: [],
    peer: true,
    guardCache: join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "parapet-bench"),
    seed: 1,
    corpus: null,
    from: null,
    json: false,
    markdown: false,
  };
  const count = (name, value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) usageError(`${name} needs a whole number, not ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usageError(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case "--runs": o.runs = Math.max(1, count(arg, value())); break;
      case "--peer-runs": o.peerRuns = Math.max(1, count(arg, value())); break;
      case "--growth-runs": o.growthRuns = Math.max(1, count(arg, value())); break;
      case "--warmup": o.warmup = count(arg, value()); break;
      case "--quick": o.quick = true; break;
      case "--only": o.only = value().split(",").map((s) => s.trim()).filter(Boolean); break;
      case "--parapet": o.parapet = resolve(value()); break;
      case "--parapet-args": o.parapetArgs.push(...splitArgs(value())); break;
      case "--no-peer": o.peer = false; break;
      case "--guard-cache": o.guardCache = value(); break;
      case "--seed": o.seed = count(arg, value()); break;
      case "--corpus": o.corpus = value(); break;
      case "--json": o.json = true; break;
      case "--from": o.from = value(); break;
      case "--markdown": o.markdown = true; break;
      case "-h":
      case "--help": console.log(USAGE); process.exit(0); break;
      default: usageError(`unknown option ${arg}`);
    }
  }
  const known = new Set(CASES.map((c) => c.id));
  for (const id of o.only ?? []) if (!known.has(id)) usageError(`unknown case ${id}`);
  return o;
}

function usageError(message) {
  console.error(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Splits "--jobs 2 --cache" into arguments; single or double quotes group words. */
function splitArgs(text) {
  const out = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

// ---------------------------------------------------------------------------------------
// Measuring one process

/** How peak memory is read: GNU time's %M, else polling VmHWM in /proc, else not at all. */
function memoryProbe() {
  if (existsSync("/usr/bin/time")) {
    const r = spawnSync("/usr/bin/time", ["-f", "%M", "true"], { encoding: "utf8" });
    if (r.status === 0 && /^\d+\s*$/m.test(r.stderr)) return "time";
  }
  if (existsSync(`/proc/${process.pid}/status`)) return "proc";
  return "none";
}

function readHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs one command to its end: wall time in ms (process.hrtime around spawn and exit) and
 * peak resident memory in KB. Standard output and error go to files, never to a pipe.
 */
async function measure(command, probe, scratch) {
  const outPath = join(scratch, `${command.key}.out`);
  const errPath = join(scratch, `${command.key}.err`);
  const memPath = join(scratch, `${command.key}.mem`);
  const out = openSync(outPath, "w");
  const err = openSync(errPath, "w");
  const [file, ...args] = probe === "time" ? ["/usr/bin/time", "-f", "%M", "-o", memPath, ...command.argv] : command.argv;
  let peak = 0;
  command.before?.();
  const start = process.hrtime.bigint();
  const child = spawn(file, args, { cwd: scratch, stdio: ["ignore", out, err], env: command.env ?? process.env });
  const timer = probe === "proc" ? setInterval(() => (peak = Math.max(peak, readHwm(child.pid))), 5) : null;
  const status = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (timer) clearInterval(timer);
  closeSync(out);
  closeSync(err);
  if (probe === "time") {
    // GNU time writes "Command exited with non-zero status N" before the figure.
    const lines = readFileSync(memPath, "utf8").trim().split("\n");
    peak = Number(lines[lines.length - 1]) || 0;
  }
  if (status.signal || !command.okExit.includes(status.code)) {
    const tail = readFileSync(errPath, "utf8").trim().split("\n").slice(-8).join("\n");
    throw new Error(`${command.label} failed (${status.signal ?? `exit ${status.code}`}): ${command.argv.join(" ")}\n${tail}`);
  }
  return { ms, kb: peak || null };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Times the commands of one case in alternation: round r runs every command once, starting
 * from a different one each round, so drift in the machine's state affects all alike.
 */
async function runCase(commands, rounds, warmup, probe, scratch, log) {
  const samples = new Map(commands.map((c) => [c.key, []]));
  for (const command of commands) {
    for (let w = 0; w < (command.warmup ?? warmup); w++) await measure(command, probe, scratch);
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < commands.length; k++) {
      const command = commands[(r + k) % commands.length];
      if (r >= command.runs) continue;
      const sample = await measure(command, probe, scratch);
      samples.get(command.key).push(sample);
      log(`    ${command.label}: ${fmtMs(sample.ms)}${sample.kb ? `, ${fmtMb(sample.kb)}` : ""}`);
    }
  }
  const result = {};
  for (const command of commands) {
    const list = samples.get(command.key);
    const kbs = list.map((s) => s.kb).filter((x) => x !== null);
    result[command.key] = {
      label: command.label,
      argv: command.argv,
      runs: list.length,
      ms: list.map((s) => round(s.ms)),
      medianMs: round(median(list.map((s) => s.ms))),
      peakKb: kbs.length ? median(kbs) : null,
    };
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Cold runs

const DROP_CACHES = "/proc/sys/vm/drop_caches";

/**
 * What a cold run starts without, and how: parapet's own cache (only with --cache; its
 * folders are removed), a V8 compile cache (Node 20 keeps none on disk; NODE_COMPILE_CACHE,
 * which Node 22 reads, is left out of the environment) and, where this process may (as root
 * on Linux), the operating system's page cache, so that Node, parapet and the inputs are
 * read from disk again. Node's module cache is a process's own: every run is a new process.
 */
function coldStart(scratch, parapetArgs) {
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  const cacheDirs = [join(scratch, ".parapet-cache")];
  parapetArgs.forEach((a, i) => {
    if (a === "--cache-dir" && parapetArgs[i + 1]) cacheDirs.push(resolve(scratch, parapetArgs[i + 1]));
    else if (a.startsWith("--cache-dir=")) cacheDirs.push(resolve(scratch, a.slice("--cache-dir=".length)));
  });
  let pageCache;
  try {
    spawnSync("sync");
    writeFileSync(DROP_CACHES, "3");
    pageCache = { dropped: true };
  } catch (error) {
    pageCache = { dropped: false, reason: `${DROP_CACHES} not writable (${error.code ?? error.message})` };
  }
  let drops = 0;
  const before = () => {
    for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
    if (pageCache.dropped) {
      // Written pages must reach the disk first: only clean pages are dropped.
      spawnSync("sync");
      writeFileSync(DROP_CACHES, "3");
    }
    drops++;
  };
  /**
   * A warm command measured after a cold one would find the caches just dropped: it is run
   * once more, untimed, whenever caches were dropped since its last run.
   */
  const warm = (command) => {
    let seen = 0;
    return {
      ...command,
      before: () => {
        if (seen !== drops) spawnSync(command.argv[0], command.argv.slice(1), { cwd: scratch, stdio: "ignore" });
        seen = drops;
      },
    };
  };
  return { env, before, warm, pageCache };
}

function describeCold(pageCache) {
  return pageCache.dropped
    ? `cold runs: after sync and echo 3 > ${DROP_CACHES} (page cache dropped), parapet's cache removed, no V8 compile cache`
    : `cold runs: parapet's cache removed, no V8 compile cache; the page cache is kept: ${pageCache.reason}`;
}

/** The files of the examples folder: their number and bytes. */
function examplesSet() {
  let files = 0;
  let bytes = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        files++;
        bytes += statSync(path).size;
      }
    }
  };
  walk(EXAMPLES);
  return { path: EXAMPLES, files, bytes };
}

// ---------------------------------------------------------------------------------------
// cfn-guard, installed on demand into a cache folder

function guardBinary(pkg) {
  const os = { linux: "ubuntu", darwin: "macos" }[platform()];
  const cpu = { x64: "x86_64", arm64: "aarch64" }[arch()];
  return os && cpu ? join(pkg, "bin", os, cpu, "cfn-guard") : null;
}

/** cfn-guard's binary and rule folders, or the reason it is not available. */
function findGuard(cache, log) {
  const pkg = join(cache, "node_modules", ...GUARD_PACKAGE.split("/"));
  const installed = () => {
    try {
      return JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version === GUARD_VERSION;
    } catch {
      return false;
    }
  };
  if (!installed()) {
    log(`installing ${GUARD_PACKAGE}@${GUARD_VERSION} into ${cache} (cfn-guard and the Control Tower rules)`);
    mkdirSync(cache, { recursive: true });
    const npm = platform() === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(
      npm,
      // One retry: offline, the default retries take over a minute before failing.
      ["install", "--prefix", cache, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts", "--fetch-retries=1", `${GUARD_PACKAGE}@${GUARD_VERSION}`],
      { encoding: "utf8" },
    );
    if (r.status !== 0 || !installed()) {
      const text = (r.stderr || r.error?.message || "").trim();
      if (text) log(text.split("\n").slice(0, 6).join("\n"));
      const code = /npm error code (\S+)/.exec(text)?.[1] ?? r.error?.code ?? `exit ${r.status}`;
      return { error: `not available: npm install of ${GUARD_PACKAGE}@${GUARD_VERSION} failed (${code})` };
    }
  }
  const bin = guardBinary(pkg);
  if (!bin || !existsSync(bin)) return { error: `the package ships no cfn-guard for ${platform()} ${arch()}` };
  chmodSync(bin, 0o755);
  const version = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (version.status !== 0) return { error: `${bin} does not run: ${(version.stderr || version.error?.message || "").trim()}` };
  const rules = GUARD_RULES.map((dir) => join(pkg, "rules", "control-tower", "cfn-guard", dir));
  const missing = rules.find((dir) => !existsSync(dir));
  if (missing) return { error: `rule folder missing: ${missing}` };
  return { bin, rules, version: version.stdout.trim() };
}

// ---------------------------------------------------------------------------------------
// Cases and figures

/** The pre-commit target for a folder with every kind of input (Terraform included). */
const FIRST_RUN_TARGET = 5;

/**
 * Each case lists the commands timed together; each figure compares two of them.
 * kind: "ratio" (a's time / b's time, at most target), "speedup" (b's time / a's time, at
 * least target), "memory" (a's peak / b's peak, at most target), "throughput" (MB of
 * input per second of a's time, at least target), "info" (a ratio with no target).
 */
const CASES = [
  {
    id: "first-run",
    title: "examples/ (CloudFormation, CDK, Terraform): a first run and later runs",
    set: "examples",
    commands: ({ node, parapet, set, cold }) => [
      cold.warm(node()),
      { ...node(), key: "nodeCold", label: "node -e 0, cold", env: cold.env, before: cold.before, warmup: 0 },
      { ...parapet(set.path), key: "parapetCold", label: "parapet, cold", env: cold.env, before: cold.before, warmup: 0 },
      cold.warm({ ...parapet(set.path), key: "parapetWarm", label: "parapet, warm" }),
    ],
    figures: [
      { kind: "ratio", a: "parapetCold", b: "nodeCold", target: FIRST_RUN_TARGET, label: "examples/, first run (cold): parapet / node -e 0 (cold)" },
      { kind: "ratio", a: "parapetWarm", b: "node", target: FIRST_RUN_TARGET, label: "examples/, later runs (warm): parapet / node -e 0" },
    ],
  },
  {
    id: "small",
    title: "one small template (pre-commit)",
    set: "small",
    commands: ({ node, parapet, guard, set }) => [node(), parapet(set.path), guard?.(set.path)],
    figures: [
      { kind: "ratio", a: "parapet", b: "node", target: 3, label: "one small template: parapet / node -e 0" },
      { kind: "ratio", a: "parapet", b: "guard", target: 0.4, label: "one small template: parapet / cfn-guard" },
    ],
  },
  {
    id: "yaml",
    title: "{n} small YAML templates",
    set: "yaml",
    commands: ({ parapet, floor, guard, set }) => [parapet(set.path), floor(set.path), guard?.(set.path)],
    figures: [
      { kind: "ratio", a: "parapet", b: "floor", target: 1.0, label: "{n} YAML: parapet / yaml floor (1 thread)" },
      { kind: "speedup", a: "parapet", b: "guard", target: 25, label: "{n} YAML: times faster than cfn-guard" },
    ],
  },
  {
    id: "big",
    title: "one {r}-resource YAML template",
    set: "big",
    commands: ({ parapet, floor, guard, set }) => [parapet(set.path), floor(set.path), guard?.(set.path)],
    figures: [
      { kind: "ratio", a: "parapet", b: "floor", target: 1.3, label: "{r} resources: parapet / yaml floor" },
      { kind: "memory", a: "parapet", b: "floor", target: 1.2, label: "{r} resources: peak memory / floor's" },
      { kind: "speedup", a: "parapet", b: "guard", target: 30, label: "{r} resources: times faster than cfn-guard" },
    ],
  },
  {
    id: "json",
    title: "{n} small JSON templates",
    set: "json",
    commands: ({ parapet, floor, set }) => [parapet(set.path), floor(set.path)],
    figures: [
      { kind: "throughput", a: "parapet", target: 40, label: "{n} JSON: MB/s end to end" },
      { kind: "info", a: "parapet", b: "floor", label: "{n} JSON: parapet / JSON.parse floor" },
    ],
  },
  {
    id: "tf-file",
    title: "one large .tf file",
    set: "tfLarge",
    file: (set) => join(set.path, "root-00000", "main.tf"),
    commands: ({ parapet, floor, set }) => {
      const file = join(set.path, "root-00000", "main.tf");
      return [parapet(file), floor(file)];
    },
    figures: [{ kind: "ratio", a: "parapet", b: "floor", target: 1.5, label: "one .tf file: parapet / hcl2json start and parse" }],
  },
  {
    id: "tf-modules",
    title: "{n} small Terraform root modules",
    set: "tfModules",
    commands: ({ parapet, floor, set }) => [parapet(set.path), floor(set.path)],
    figures: [{ kind: "ratio", a: "parapet", b: "floor", target: 0.7, label: "{n} Terraform modules: parapet / hcl2json floor (1 thread)" }],
  },
  {
    id: "growth",
    title: "growth: {n} against {n1} YAML templates",
    set: "growth",
    growth: true,
    commands: ({ parapet, set, sets }) => [
      { ...parapet(set.path), key: "parapet10k", label: `parapet, ${set.files.toLocaleString("en-US")} templates`, warmup: 0 },
      { ...parapet(sets.yaml.path), key: "parapet1k", label: `parapet, ${sets.yaml.files.toLocaleString("en-US")} templates`, warmup: 0 },
    ],
    figures: [
      { kind: "ratio", a: "parapet10k", b: "parapet1k", target: 10.5, label: "growth: 10× the templates, time ratio" },
      { kind: "memory", a: "parapet10k", b: "parapet1k", target: 1.5, label: "growth: 10× the templates, peak memory ratio" },
    ],
  },
  {
    id: "tf-large",
    title: "{n} large .tf files",
    set: "tfLarge",
    optIn: true,
    commands: ({ parapet, floor, set }) => [parapet(set.path), floor(set.path)],
    figures: [{ kind: "info", a: "parapet", b: "floor", label: "{n} large .tf files: parapet / hcl2json floor (1 thread)" }],
  },
];

/** Fills in {n} (files of the case's set), {n1} (files of the 1,000-template set), {r} (resources). */
function fill(text, set, sets) {
  const num = (x) => (x ?? 0).toLocaleString("en-US");
  return text.replaceAll("{n}", num(set.files)).replaceAll("{n1}", num(sets.yaml?.files)).replaceAll("{r}", num(set.resources));
}

function evaluate(figure, result, set, sets, guardError) {
  const a = result[figure.a];
  const b = figure.b ? result[figure.b] : null;
  const base = { id: `${figure.kind}:${figure.a}${figure.b ? `/${figure.b}` : ""}`, label: fill(figure.label, set, sets), kind: figure.kind, target: figure.target ?? null };
  if (figure.b && !b) {
    return { ...base, status: "SKIP", note: figure.b === "guard" ? `cfn-guard ${guardError}` : `${figure.b} not measured` };
  }
  let value;
  let measured;
  switch (figure.kind) {
    case "throughput":
      value = set.bytes / 1e6 / (a.medianMs / 1000);
      measured = `${(set.bytes / 1e6).toFixed(2)} MB in ${fmtMs(a.medianMs)}`;
      break;
    case "memory":
      if (!a.peakKb || !b.peakKb) return { ...base, status: "SKIP", note: "peak memory not available on this system" };
      value = a.peakKb / b.peakKb;
      measured = `${fmtMb(a.peakKb)} vs ${fmtMb(b.peakKb)}`;
      break;
    case "speedup":
      value = b.medianMs / a.medianMs;
      measured = `${fmtMs(a.medianMs)} vs ${fmtMs(b.medianMs)}`;
      break;
    default:
      value = a.medianMs / b.medianMs;
      measured = `${fmtMs(a.medianMs)} vs ${fmtMs(b.medianMs)}`;
  }
  const atLeast = figure.kind === "speedup" || figure.kind === "throughput";
  const status = figure.target === undefined ? "INFO" : (atLeast ? value >= figure.target : value <= figure.target) ? "PASS" : "FAIL";
  return { ...base, measured, value: round(value, 3), op: figure.target === undefined ? null : atLeast ? ">=" : "<=", status };
}

// ---------------------------------------------------------------------------------------
// Formatting

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const fmtMb = (kb) => `${Math.round(kb / 1024)} MB`;

function fmtValue(f) {
  if (f.value === undefined) return "–";
  if (f.kind === "throughput") return `${f.value.toFixed(1)} MB/s`;
  if (f.kind === "speedup") return `${f.value.toFixed(1)}× faster`;
  return `${f.value.toFixed(2)}×`;
}

function fmtTarget(f) {
  if (f.target === null) return "–";
  if (f.kind === "throughput") return `≥ ${f.target} MB/s`;
  if (f.kind === "speedup") return `≥ ${f.target}× faster`;
  return `≤ ${f.target}×`;
}

function textTable(figures) {
  const rows = figures.map((f) => [f.label, f.measured ?? f.note ?? "", fmtValue(f), fmtTarget(f), f.status]);
  const head = ["figure", "measured", "ratio", "target", "result"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function markdownTable(figures) {
  const rows = figures.map((f) => `| ${f.label} | ${f.measured ?? f.note ?? ""} | ${fmtValue(f)} | ${fmtTarget(f)} | ${f.status} |`);
  return ["| Figure | Measured (parapet vs reference) | Ratio | Target | Result |", "|---|---|---|---|---|", ...rows].join("\n");
}

// ---------------------------------------------------------------------------------------

/** The heading of a run: machine, options and how each side was run. */
function describeRun(summary) {
  const m = summary.machine;
  const o = summary.options;
  return [
    `machine: ${m.cores} cores (${m.cpu ?? "unknown"}), Node ${m.node}, ${m.platform} ${m.arch}, load average ${m.loadAtStart.map((x) => x.toFixed(2)).join(" ")} at the start${m.loadAtEnd ? `, ${m.loadAtEnd.map((x) => x.toFixed(2)).join(" ")} at the end` : ""}`,
    `runs: ${o.runs} per command in alternation, cfn-guard ${o.peerRuns}, growth ${o.growthRuns}; warm-up ${o.warmup}${o.quick ? "; quick corpus" : ""}`,
    `parapet arguments: ${o.parapetArgs.length ? o.parapetArgs.join(" ") : "(none beyond --format sarif --output <file>)"}`,
    `cfn-guard: ${summary.guard.skipped ? `skipped (${summary.guard.skipped})` : `${summary.guard.version}, Control Tower rules ${summary.guard.rules.join(", ")}`}`,
    ...(summary.cold ? [describeCold(summary.cold)] : []),
  ];
}

function printSaved(o) {
  const summary = JSON.parse(readFileSync(o.from, "utf8"));
  if (o.markdown) {
    console.log(`${describeRun(summary).map((line) => `- ${line}`).join("\n")}\n\n${markdownTable(summary.figures)}`);
  } else {
    console.log(`${describeRun(summary).join("\n")}\n\n${textTable(summary.figures)}`);
  }
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  if (o.from) return printSaved(o);
  const quiet = o.json || o.markdown;
  const log = (line) => (quiet ? process.stderr : process.stdout).write(`${line}\n`);
  const cases = CASES.filter((c) => (o.only ? o.only.includes(c.id) : !c.optIn));

  if (!existsSync(o.parapet)) usageError(`parapet not found at ${o.parapet}`);
  if (!existsSync(join(ROOT, "dist", "cli.js")) && o.parapet === join(ROOT, "bin", "parapet.js")) {
    usageError("dist/ is missing: run npm run build first");
  }
  const probe = memoryProbe();
  const loadAtStart = loadavg();
  const scratch = mkdtempSync(join(tmpdir(), "parapet-bench-"));
  const corpusDir = o.corpus ?? join(scratch, "corpus");
  try {
    const wantsGuard = o.peer && cases.some((c) => c.figures.some((f) => f.b === "guard"));
    const guard = wantsGuard ? findGuard(o.guardCache, log) : { error: "not run (--no-peer)" };
    if (guard.error) log(`cfn-guard comparisons skipped: ${guard.error}`);

    const needsCorpus = cases.some((c) => c.set !== "examples");
    if (needsCorpus) log(`generating the ${o.quick ? "quick " : ""}corpus (seed ${o.seed}) in ${corpusDir}`);
    const sets = { ...(needsCorpus ? generateCorpus(corpusDir, { seed: o.seed, quick: o.quick, growth: cases.some((c) => c.growth) }).sets : {}), examples: examplesSet() };
    // Only the first-run case drops caches (tried once here, to learn whether this process may).
    const cold = cases.some((c) => c.id === "first-run") ? coldStart(scratch, o.parapetArgs) : null;

    const userChoseOutput = o.parapetArgs.some((a) => a === "--format" || a === "-f" || a.startsWith("--format=") || a === "--output" || a === "-o");
    const makers = (caseId) => ({
      node: () => ({ key: "node", label: "node -e 0", argv: [process.execPath, "-e", "0"], okExit: [0], runs: o.runs }),
      parapet: (path) => ({
        key: "parapet",
        label: "parapet",
        argv: [process.execPath, o.parapet, path, ...(userChoseOutput ? [] : ["--format", "sarif", "--output", join(scratch, `${caseId}.sarif`)]), ...o.parapetArgs],
        okExit: [0, 1],
        runs: caseId === "growth" ? o.growthRuns : o.runs,
      }),
      floor: (path) => ({ key: "floor", label: "floor", argv: [process.execPath, FLOOR, path], okExit: [0], runs: o.runs }),
      guard: guard.error
        ? undefined
        : (path) => ({
            key: "guard",
            label: "cfn-guard",
            argv: [guard.bin, "validate", "--data", path, ...guard.rules.flatMap((r) => ["--rules", r]), "--output-format", "sarif", "--show-summary", "none", "--structured"],
            // 19: templates break rules, the expected outcome here.
            okExit: [0, 19],
            runs: o.peerRuns,
            warmup: 0,
          }),
    });

    log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, ${platform()} ${arch()}, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")} at the start`);
    log(`runs: ${o.runs} per command in alternation, cfn-guard ${o.peerRuns} (slow: minutes per run on the large cases; --peer-runs), growth ${o.growthRuns}; warm-up ${o.warmup}; peak memory: ${probe === "time" ? "GNU time %M" : probe === "proc" ? "VmHWM polled from /proc" : "not measured"}`);
    log(`parapet: node ${relative(process.cwd(), o.parapet) || o.parapet} <paths> ${userChoseOutput ? "" : "--format sarif --output <file> "}${o.parapetArgs.join(" ")}`.trimEnd());
    if (!guard.error) log(`cfn-guard: ${guard.version}, rules ${GUARD_RULES.join(", ")} of the Control Tower set, one process over all files, SARIF to a file`);
    if (cold) log(describeCold(cold.pageCache));

    const results = [];
    const figures = [];
    for (const c of cases) {
      const set = sets[c.set];
      const files = c.file ? 1 : set.files;
      const bytes = c.file ? statSync(c.file(set)).size : set.bytes;
      const detail = c.growth ? "" : ` (${files.toLocaleString("en-US")} file${files === 1 ? "" : "s"}, ${(bytes / 1e6).toFixed(2)} MB)`;
      log(`\n${fill(c.title, set, sets)}${detail}`);
      const commands = c.commands({ ...makers(c.id), set, sets, cold }).filter(Boolean);
      const rounds = Math.max(...commands.map((cmd) => cmd.runs));
      let result;
      try {
        result = await runCase(commands, rounds, o.warmup, probe, scratch, log);
      } catch (error) {
        log(`  ERROR ${error.message}`);
        for (const f of c.figures) figures.push({ label: fill(f.label, set, sets), kind: f.kind, target: f.target ?? null, status: "ERROR", note: "a command failed" });
        continue;
      }
      for (const r of Object.values(result)) {
        log(`  ${r.label.padEnd(26)} median ${fmtMs(r.medianMs).padStart(8)}   peak ${r.peakKb ? fmtMb(r.peakKb).padStart(7) : "      –"}   ${r.runs} run${r.runs === 1 ? "" : "s"}`);
      }
      results.push({ id: c.id, title: fill(c.title, set, sets), set: { files: set.files, bytes: set.bytes }, commands: result });
      for (const f of c.figures) figures.push(evaluate(f, result, set, sets, guard.error));
    }

    const summary = {
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? null, node: process.version, platform: platform(), arch: arch(), loadAtStart, loadAtEnd: loadavg() },
      options: { runs: o.runs, peerRuns: o.peerRuns, growthRuns: o.growthRuns, warmup: o.warmup, quick: o.quick, seed: o.seed, parapetArgs: o.parapetArgs },
      memory: probe,
      guard: guard.error ? { skipped: guard.error } : { version: guard.version, rules: GUARD_RULES },
      ...(cold ? { cold: cold.pageCache } : {}),
      corpus: Object.fromEntries(Object.entries(sets).map(([id, s]) => [id, { files: s.files, bytes: s.bytes }])),
      cases: results,
      figures,
    };
    if (o.json) {
      console.log(JSON.stringify(summary, null, 2));
    } else if (o.markdown) {
      console.log(`${describeRun(summary).map((line) => `- ${line}`).join("\n")}\n\n${markdownTable(figures)}`);
    } else {
      console.log(`\n${textTable(figures)}`);
      if (!guard.error && o.peerRuns < o.runs) {
        console.log(`\ncfn-guard ran ${o.peerRuns} time${o.peerRuns === 1 ? "" : "s"} per case (--peer-runs), parapet ${o.runs}: cfn-guard's figures rest on fewer runs.`);
      }
      if (o.quick) console.log("\n--quick: a corpus a tenth the size; the targets are set for the full corpus.");
    }
    process.exitCode = figures.some((f) => f.status === "ERROR") ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();

