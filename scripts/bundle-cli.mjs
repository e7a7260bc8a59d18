#!/usr/bin/env node
// Part of the build: bundles the compiled command line and the lint worker, with the `yaml`
// parser, into dist/bundle/. Node then reads a few files at start-up instead of resolving
// and loading about 150 modules, which is most of the time a one-file run takes.
// Packages loaded only for some inputs or commands stay outside and load when used.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = `${root}dist/bundle`;
rmSync(outDir, { recursive: true, force: true });
await build({
  input: { parapet: `${root}dist/cli.js`, worker: `${root}dist/pipeline/worker.js` },
  platform: "node",
  external: [/^node:/, "@cdktf/hcl2json", "@aws-cdk/cloudformation-diff", "ajv"],
  logLevel: "warn",
  output: { dir: outDir, format: "esm", entryFileNames: "[name].mjs", chunkFileNames: "[name]-[hash].mjs" },
});
console.log("bundled dist/bundle/parapet.mjs and dist/bundle/worker.mjs");
