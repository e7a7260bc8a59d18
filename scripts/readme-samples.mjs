#!/usr/bin/env node
// Regenerates the sample output in README.md and docs/*.md from real runs of the built
// command line (bin/parapet.js, so run `npm run build` first), from the repository root, on
// the bundled examples. With --check it changes nothing and exits 1 when a sample differs
// from what the command prints now (CI runs `npm run readme:check`).
//
// A sample is a fenced block between two HTML comments, which GitHub does not render:
//
//   <!-- sample: parapet examples/ --format compact -->
//   ```text
//   …exactly what `parapet examples/ --format compact` writes to standard output…
//   ```
//   <!-- /sample -->
//
// The command may end with one filter:
//   | grep <regex>     only the lines that match the regular expression (JavaScript syntax)
//   | json <path>      the value at a dotted path of the JSON output (`runs.0.results.0`),
//                      indented by two spaces
//
// `<!-- sample: summaries -->` before a ```sh block of `npx parapet <args>  # <comment>` lines
// replaces each comment with the last line the command prints (its summary).
//
// Output is without colour (NO_COLOR, and standard output is not a terminal); paths are
// relative to the repository root, so the samples are the same on every machine.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "bin", "parapet.js");
const check = process.argv.includes("--check");

const OPEN = /^<!-- sample: (.+?) -->$/;
const CLOSE = "<!-- /sample -->";

/** Splits a command line into words; single and double quotes group words. */
function words(line) {
  const out = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

const outputs = new Map();
/** What `parapet <args>` writes to standard output, run from the repository root. */
function parapet(args, where) {
  const key = JSON.stringify(args);
  if (outputs.has(key)) return outputs.get(key);
  const res = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    maxBuffer: 64 * 1024 * 1024,
  });
  // 0: nothing to report, 1: findings; anything else is a broken sample command.
  if (res.status !== 0 && res.status !== 1) {
    throw new Error(`${where}: \`parapet ${args.join(" ")}\` exited ${res.status ?? res.signal}:\n${res.stderr}`);
  }
  outputs.set(key, res.stdout);
  return res.stdout;
}

/** The text of one sample: the command's output, through its filter. */
function sampleText(command, where) {
  const [cmd, ...filters] = command.split(" | ");
  const filter = filters.join(" | ");
  const argv = words(cmd);
  if (argv[0] === "npx") argv.shift();
  if (argv[0] !== "parapet") throw new Error(`${where}: a sample command starts with parapet: ${command}`);
  let text = parapet(argv.slice(1), where);
  if (filter.startsWith("grep ")) {
    const re = new RegExp(filter.slice("grep ".length));
    text = text.split("\n").filter((line) => re.test(line)).join("\n") + "\n";
  } else if (filter.startsWith("json ")) {
    let value = JSON.parse(text);
    for (const key of filter.slice("json ".length).trim().split(".")) {
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) throw new Error(`${where}: no ${filter.slice(5)} in the output of ${cmd}`);
      value = value[key];
    }
    text = JSON.stringify(value, null, 2) + "\n";
  } else if (filter !== "") {
    throw new Error(`${where}: unknown filter "${filter}" (grep <regex> or json <path>)`);
  }
  return text.replace(/\n+$/, "");
}

/** A ```sh block of `npx parapet … # summary` lines with each summary as the command prints it now. */
function summaries(body, where) {
  return body.map((line) => {
    const m = /^(npx parapet (.*?))(\s+# )(.*)$/.exec(line);
    if (!m) return line;
    const lines = parapet(words(m[2]), where).trimEnd().split("\n");
    return `${m[1]}${m[3]}${lines[lines.length - 1]}`;
  });
}

/** The file's text with every sample regenerated. */
function regenerate(text, file) {
  const lines = text.split("\n");
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const open = OPEN.exec(lines[i]);
    if (!open) continue;
    const where = `${file}:${i + 1}`;
    const close = lines.indexOf(CLOSE, i + 1);
    const fence = /^(`{3,})(.*)$/.exec(lines[i + 1] ?? "");
    if (close < 0 || !fence || lines[close - 1] !== fence[1]) {
      throw new Error(`${where}: a sample is a fenced block followed by ${CLOSE}`);
    }
    const body = lines.slice(i + 2, close - 1);
    const generated = open[1] === "summaries" ? summaries(body, where) : sampleText(open[1], where).split("\n");
    if (generated.some((line) => line.startsWith(fence[1]))) throw new Error(`${where}: the output holds ${fence[1]}; use a longer fence`);
    out.push(lines[i + 1], ...generated, lines[close - 1], CLOSE);
    i = close;
  }
  return out.join("\n");
}

function markdownFiles() {
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(root, "docs", name));
  return [join(root, "README.md"), ...docs];
}

let stale = 0;
let samples = 0;
for (const path of markdownFiles()) {
  const file = relative(root, path);
  const text = readFileSync(path, "utf8");
  samples += text.split("\n").filter((line) => OPEN.test(line)).length;
  const updated = regenerate(text, file);
  if (updated === text) continue;
  stale++;
  if (check) {
    const before = text.split("\n");
    const after = updated.split("\n");
    const first = before.findIndex((line, n) => line !== after[n]);
    console.error(`${file}:${first + 1}: the sample differs from what the command prints now:`);
    console.error(`  - ${before[first]}\n  + ${after[first]}`);
  } else {
    writeFileSync(path, updated);
    console.log(`updated ${file}`);
  }
}
if (check && stale > 0) {
  console.error(`${stale} file(s) with stale samples; run npm run readme:samples`);
  process.exit(1);
}
console.log(`${samples} samples ${check ? "match the command line" : "regenerated"}`);
