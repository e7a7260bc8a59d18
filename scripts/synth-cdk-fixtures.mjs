#!/usr/bin/env node
// Synthesizes the sample CDK apps of test/fixtures/cdk-apps/ into test/fixtures/cdk/<app>/cdk.out
// (`npm run fixtures:cdk`), so that parapet's tests read real cloud assemblies without synthesizing.
//
// Every app runs in its own node process; what it writes is then post-processed:
//   * absolute paths of this machine become machine-independent (DESIGN.md, convention 9): the project root
//     is dropped everywhere (paths become relative to the project root); inside stack traces, any
//     `/…/node_modules/` prefix becomes `node_modules/`, node's install prefix becomes `<node>/` and the
//     home folder `~/`;
//   * files a linter does not read are removed: everything but the JSON files and the `cdk.out` marker
//     (asset folders and zips; the apps have none today).
// After writing, the output is scanned for the project root and the home folder; any left fails the run.
//
// The release app (test/fixtures/cdk-apps/releases/app.mjs) is synthesized once per aws-cdk-lib release into
// test/fixtures/cdk/releases/<version>/cdk.out: with the project's own aws-cdk-lib, and with every release
// folder beside the app (`releases/<version>/package.json` and its lock file; `npm ci` installs it there the
// first time, the only step that needs the network).
//
// With --check, one app (ec2-basics) and the release app with the project's own aws-cdk-lib are synthesized
// into a temporary folder, post-processed the same way and compared with the committed output; exit 1 (and
// what differs) when they differ.
//
// Imported (examples/cdk/synth.mjs does), it runs nothing: it exports synthesizeModule() and postProcess().
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
const APPS_DIR = join(ROOT, "test", "fixtures", "cdk-apps");
const FIXTURES_DIR = join(ROOT, "test", "fixtures", "cdk");
const RELEASES_DIR = join(APPS_DIR, "releases");
const RELEASE_APP = join(RELEASES_DIR, "app.mjs");
const CHECKED_APP = "ec2-basics";
const SCRIPT = fileURLToPath(import.meta.url);

async function main() {
  const check = process.argv.includes("--check");
  const started = performance.now();
  if (check) {
    const apps = await Promise.all([checkCommitted(appJob(CHECKED_APP)), checkCommitted(releaseJob(ownRelease()))]);
    process.exitCode = Math.max(...apps);
  } else {
    // Two at a time: most of each run is loading aws-cdk-lib, which a second core does in parallel.
    const jobs = [...listApps().map(appJob), ...listReleases().map(releaseJob)];
    const written = await inBatches(jobs, 2, async (job) => {
      rmSync(job.committed, { recursive: true, force: true });
      await job.synthesize(job.committed);
      return `${relative(ROOT, job.committed).split(sep).join("/")}: ${postProcess(job.committed).length} files`;
    });
    for (const line of written) console.log(line);
  }
  console.error(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The app names: every `*.mjs` file of the apps folder. */
function listApps() {
  return readdirSync(APPS_DIR)
    .filter((name) => name.endsWith(".mjs"))
    .map((name) => basename(name, ".mjs"))
    .sort();
}

/** A fixture to write: where it is committed and how to synthesize it into a folder. */
function appJob(app) {
  return { name: app, committed: join(FIXTURES_DIR, app, "cdk.out"), synthesize: (outdir) => synthesize(app, outdir) };
}

function releaseJob(release) {
  return {
    name: `the release app (aws-cdk-lib ${release.version})`,
    committed: join(FIXTURES_DIR, "releases", release.version, "cdk.out"),
    synthesize: async (outdir) => {
      installRelease(release);
      await synthesizeModule(RELEASE_APP, outdir, `releases/app.mjs with aws-cdk-lib ${release.version}`, release.dir, true);
    },
  };
}

/** The project's own aws-cdk-lib, resolved from the project root. */
function ownRelease() {
  return { version: cdkVersion(), dir: ROOT, own: true };
}

/** The project's own release and every `releases/<version>/` folder with a package.json. */
function listReleases() {
  const folders = readdirSync(RELEASES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && exists(join(RELEASES_DIR, entry.name, "package.json"), "file"))
    .map((entry) => ({ version: entry.name, dir: join(RELEASES_DIR, entry.name), own: false }));
  return [ownRelease(), ...folders.sort((a, b) => (a.version < b.version ? -1 : 1))];
}

/** `npm ci` in a release folder that has no node_modules yet (the lock file pins the release). */
function installRelease(release) {
  if (release.own || exists(join(release.dir, "node_modules", "aws-cdk-lib"))) return;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = spawnSync(npm, ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: release.dir, encoding: "utf8", shell: process.platform === "win32" });
  if (res.status !== 0) throw new Error(`npm ci in ${relative(ROOT, release.dir)} failed:\n${res.stderr || res.error?.message}`);
}

/** Runs `run` over `items`, `size` at a time; the results come back in the order of `items`. */
async function inBatches(items, size, run) {
  const results = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  }
  return results;
}

/** Runs one app in a child process (a fresh aws-cdk-lib for every app, so apps cannot influence each other). */
async function synthesize(app, outdir) {
  await synthesizeModule(join(APPS_DIR, `${app}.mjs`), outdir, app);
}

/**
 * Runs the app module at `modulePath` (it exports `build(outdir)`) in a child process, the way `synthesize`
 * runs a fixture app, and writes its cloud assembly to `outdir`. Exported for examples/cdk/synth.mjs; call
 * `postProcess(outdir)` afterwards. With `cdkFrom` (a folder), the app's `build(outdir, cdk)` gets the aws-cdk-lib
 * module installed for that folder; with `debug`, it runs with CDK_DEBUG=true (creation stack traces in every
 * aws-cdk-lib release: older ones record them only then).
 */
export async function synthesizeModule(modulePath, outdir, app = basename(modulePath, ".mjs"), cdkFrom = undefined, debug = false) {
  try {
    await promisify(execFile)(process.execPath, [SCRIPT, "--synth-one", modulePath, outdir, ...(cdkFrom ? [cdkFrom] : [])], {
      cwd: ROOT,
      // CDK_DEBUG, CDK_CONTEXT_JSON, CDK_OUTDIR and the like change what an app writes: none may leak in.
      // Only CDK_DEBUG=true, for the release app: what `CDK_DEBUG=true cdk synth` writes, stack traces in every release.
      env: { ...withoutCdkVariables(process.env), ...(debug ? { CDK_DEBUG: "true" } : {}) },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`synthesizing ${app} failed:\n${error.stderr || error.message}`);
  }
}

function withoutCdkVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("CDK_")));
}

// ---------------------------------------------------------------------------------------------------------
// Post-processing

/** Rewrites machine paths and removes unneeded files under `outdir`; returns the kept files (relative, sorted). */
export function postProcess(outdir) {
  const kept = [];
  for (const file of walk(outdir)) {
    const rel = relative(outdir, file);
    if (!isNeeded(rel)) {
      rmSync(file, { force: true });
      continue;
    }
    kept.push(rel.split(sep).join("/"));
    if (file.endsWith(".json")) {
      const text = readFileSync(file, "utf8");
      const rewritten = rewriteJson(text);
      if (rewritten !== text) writeFileSync(file, rewritten);
    }
  }
  removeEmptyFolders(outdir);
  assertNoMachinePaths(outdir);
  return kept.sort();
}

/** A linter reads the manifests, templates, asset manifests, metadata files and the tree; not the assets. */
function isNeeded(rel) {
  const parts = rel.split(sep);
  if (parts.some((part) => part.startsWith("asset."))) return false;
  const name = parts[parts.length - 1];
  return name.endsWith(".json") || name === "cdk.out";
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

function removeEmptyFolders(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const full = join(dir, entry.name);
    removeEmptyFolders(full);
    if (readdirSync(full).length === 0) rmSync(full, { recursive: true });
  }
}

/** `[from, to]` pairs, each in its `file://` URL and its plain form; longest first. */
function prefixes(pairs) {
  const all = [];
  for (const [dir, to] of pairs) {
    if (!dir || dir === sep) continue;
    all.push([`${pathToFileURL(dir).href}/`, to], [`${dir}${sep}`, to]);
  }
  return all.sort((a, b) => b[0].length - a[0].length);
}

const HOME = homedir();
const NODE_PREFIX = dirname(dirname(process.execPath)); // e.g. /usr/local for /usr/local/bin/node
// Everywhere (manifests, metadata, templates): the project root is specific enough to replace blindly.
const EVERYWHERE = prefixes([[ROOT, ""]]);
// Only in stack traces: broader prefixes that could also occur in a template's own strings (user data).
const IN_TRACES = prefixes([
  [NODE_PREFIX, "<node>/"],
  [HOME, "~/"],
]);
// An absolute path (or file URL) up to a node_modules folder: from the start of a path, never from its middle.
const FOREIGN_NODE_MODULES = /(?<=^|[\s(])(?:file:\/\/)?(?:[A-Za-z]:)?[\\/][^\s()'"]*?[\\/]node_modules[\\/]/g;

function replacePrefixes(text, list) {
  let out = text;
  for (const [from, to] of list) out = out.split(from).join(to);
  return out;
}

/** Library frames become `node_modules/…` wherever the library was installed (a release folder's included). */
function rewriteTraceLine(line) {
  const libraries = line.replace(FOREIGN_NODE_MODULES, "node_modules/");
  return replacePrefixes(replacePrefixes(libraries, EVERYWHERE), IN_TRACES);
}

/**
 * Parses a JSON file, rewrites its strings and prints it back in the file's own layout (CDK writes templates
 * with one space, manifests with two, tree.json on one line). Returns the text unchanged when nothing changed,
 * so that templates keep the exact bytes their asset hashes were computed from.
 */
function rewriteJson(text) {
  let changed = false;
  const visit = (value, inTrace) => {
    if (typeof value === "string") {
      const out = inTrace ? rewriteTraceLine(value) : replacePrefixes(value, EVERYWHERE);
      if (out !== value) changed = true;
      return out;
    }
    if (Array.isArray(value)) return value.map((item) => visit(item, inTrace));
    if (value && typeof value === "object") {
      // A construct metadata entry: { type, data, trace? }. Creation stacks are the data of their entry.
      const isCreationStack = value.type === "aws:cdk:creationStack";
      const out = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] = visit(item, inTrace || key === "trace" || (isCreationStack && key === "data"));
      }
      return out;
    }
    return value;
  };
  const result = visit(JSON.parse(text), false);
  if (!changed) return text;
  const indentMatch = /^\{\r?\n([ \t]+)/.exec(text);
  const indent = indentMatch ? indentMatch[1] : 0;
  return JSON.stringify(result, undefined, indent) + (text.endsWith("\n") ? "\n" : "");
}

/** Convention 9 as a guard: nothing written may still name the project root or the home folder. */
function assertNoMachinePaths(outdir) {
  const needles = [ROOT, pathToFileURL(ROOT).href];
  if (HOME && HOME !== sep) needles.push(`${HOME}${sep}`);
  for (const file of walk(outdir)) {
    const text = readFileSync(file, "utf8");
    const found = needles.find((needle) => text.includes(needle) || text.includes(JSON.stringify(needle).slice(1, -1)));
    if (found) {
      throw new Error(`${relative(ROOT, file)} still contains the machine path ${found}; extend the rewriting in ${relative(ROOT, SCRIPT)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// --check

/** Synthesizes a fixture afresh and compares it with the committed assembly; returns the exit code. */
async function checkCommitted(job) {
  const { committed } = job;
  const scratch = mkdtempSync(join(tmpdir(), "parapet-cdk-"));
  try {
    const fresh = join(scratch, "cdk.out");
    await job.synthesize(fresh);
    const freshFiles = postProcess(fresh);
    const committedFiles = exists(committed) ? [...walk(committed)].map((f) => relative(committed, f).split(sep).join("/")).sort() : [];
    const problems = [];
    for (const file of freshFiles) {
      if (!committedFiles.includes(file)) {
        problems.push(`${file}: synthesized but not committed`);
        continue;
      }
      const difference = firstDifference(readFileSync(join(committed, file), "utf8"), readFileSync(join(fresh, file), "utf8"));
      if (difference) problems.push(`${file}: ${difference}`);
    }
    for (const file of committedFiles) {
      if (!freshFiles.includes(file)) problems.push(`${file}: committed but no longer synthesized`);
    }
    const where = relative(ROOT, committed).split(sep).join("/");
    if (problems.length > 0) {
      console.error(`${where} is not what ${job.name} synthesizes now (aws-cdk-lib ${cdkVersion()}):`);
      for (const problem of problems) console.error(`  ${problem}`);
      console.error("Run `npm run fixtures:cdk` and commit test/fixtures/cdk.");
      return 1;
    }
    console.log(`${where} is current (${freshFiles.length} files, aws-cdk-lib ${cdkVersion()})`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function exists(path, kind = "folder") {
  try {
    const stat = statSync(path);
    return kind === "file" ? stat.isFile() : stat.isDirectory();
  } catch {
    return false;
  }
}

function firstDifference(before, after) {
  if (before === after) return undefined;
  const a = before.split("\n");
  const b = after.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (line) => (line === undefined ? "(end of file)" : JSON.stringify(line.trim().slice(0, 160)));
      return `differs at line ${i + 1}: committed ${show(a[i])}, synthesized ${show(b[i])}`;
    }
  }
  return "differs";
}

function cdkVersion() {
  try {
    return JSON.parse(readFileSync(join(ROOT, "node_modules", "aws-cdk-lib", "package.json"), "utf8")).version;
  } catch {
    return "not installed";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Entry point (last, so that every constant above is initialized)

// Only when run as a script: importing this module (examples/cdk/synth.mjs does) runs nothing.
const isMain = process.argv[1] !== undefined && realpathSync(resolve(process.argv[1])) === SCRIPT;
// Internal mode: `--synth-one <app module> <outdir>` runs one app in this (child) process.
const synthOne = process.argv.indexOf("--synth-one");
if (isMain && synthOne !== -1) {
  const [modulePath, outdir, cdkFrom] = process.argv.slice(synthOne + 1, synthOne + 4);
  const { build } = await import(pathToFileURL(modulePath).href);
  // The release app gets the aws-cdk-lib of its release folder (the project's own when that is the root).
  const cdk = cdkFrom ? createRequire(join(cdkFrom, "package.json"))("aws-cdk-lib") : undefined;
  if (typeof build !== "function") {
    throw new Error(`${modulePath} does not export a function build(outdir)`);
  }
  // CDK records a creation stack trace for every construct. Calling build() from a fresh macrotask keeps
  // the frames of this script out of those traces: they end in `build (…)` and `...node internals...`,
  // so editing this script does not change the fixtures.
  setImmediate(build.bind(undefined, outdir, cdk));
} else if (isMain) {
  await main();
}
