#!/usr/bin/env node
// The bundle the build makes (dist/bundle) starts faster; the compiled modules are the same code.
import { existsSync } from "node:fs";

const bundled = new URL("../dist/bundle/parapet.mjs", import.meta.url);
const { main } = await import(existsSync(bundled) ? bundled.href : "../dist/cli.js");

main(process.argv.slice(2));
