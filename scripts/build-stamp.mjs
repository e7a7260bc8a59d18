#!/usr/bin/env node
// The record of what dist/ was built from, so that `prepare` can skip a build that would
// write the same files.
//
//   node scripts/build-stamp.mjs --write   the last step of `npm run build`: records digests
//                                          of the build's inputs and of dist/ as built
//   node scripts/build-stamp.mjs --check   exits 0 when dist/ holds what the inputs build
//                                          (nothing changed on either side since), else 1
//
// Why: `npx parapet` in a clone of parapet's repository (where parapet is not installed in
// node_modules/.bin) makes npm install the checkout itself into its npx cache, which runs
// `prepare`, a whole build of about ten seconds, right after `npm ci` ran the same build.
// With the check, that second build is skipped (docs/performance.md).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const STAMP = join(dist, ".build-stamp.json");

/** What the build reads: the sources, schemas, build scripts, compiler settings and the locked dependencies it bundles. */
const INPUTS = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "src",
  "schemas",
  "scripts/compile-schemas.mjs",
  "scripts/bundle-rules.mjs",
  "scripts/bundle-cli.mjs",
  "scripts/build-stamp.mjs",
];

/** Every file under `path` (or `path` itself), sorted, as paths relative to the checkout. */
function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && p !== STAMP) out.push(relative(root, p));
    }
  };
  if (statSync(full).isDirectory()) walk(full);
  else out.push(path);
  return out.sort();
}

/** One digest of the names and contents of the files. */
function digest(paths) {
  const hash = createHash("sha256");
  for (const path of paths.flatMap(files)) hash.update(`${path}\0`).update(readFileSync(join(root, path))).update("\0");
  return hash.digest("hex");
}

const current = () => ({ inputs: digest(INPUTS), dist: digest(["dist"]) });

const mode = process.argv[2];
if (mode === "--write") {
  writeFileSync(STAMP, `${JSON.stringify(current(), null, 2)}\n`);
} else if (mode === "--check") {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, "utf8"));
  } catch {
    process.exit(1);
  }
  const now = current();
  const same = stamp.inputs === now.inputs && stamp.dist === now.dist;
  if (same) console.log("dist/ is up to date with the sources: build skipped (npm run build rebuilds)");
  process.exit(same ? 0 : 1);
} else {
  console.error("usage: node scripts/build-stamp.mjs --write | --check");
  process.exit(2);
}
