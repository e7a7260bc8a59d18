#!/usr/bin/env node
// Synthesizes app.mjs into examples/cdk/cdk.out without the CDK CLI: `node examples/cdk/synth.mjs`.
//
// This is what `cdk synth` does in a CDK project, plus one step for committing the output: the absolute paths
// CDK writes into its creation stack traces are made relative to the project root, so the assembly is the same
// on every machine. It uses the same code as parapet's CDK test fixtures (scripts/synth-cdk-fixtures.mjs).
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { postProcess, synthesizeModule } from "../../scripts/synth-cdk-fixtures.mjs";

const app = fileURLToPath(new URL("app.mjs", import.meta.url));
const outdir = fileURLToPath(new URL("cdk.out", import.meta.url));

rmSync(outdir, { recursive: true, force: true });
await synthesizeModule(app, outdir);
const files = postProcess(outdir);
console.log(`examples/cdk/cdk.out: ${files.length} files`);
