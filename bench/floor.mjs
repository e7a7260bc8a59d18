#!/usr/bin/env node
/**
 * The parsing floor: reads and parses the given files and folders the way any linter of
 * them must, and does nothing else. YAML with `yaml`'s parseDocument (default options, so
 * source positions are kept), JSON with JSON.parse, Terraform with @cdktf/hcl2json. One
 * thread, one file after the other, no parse tree kept; each parser is loaded only when
 * the first file that needs it comes up, so a YAML-only run does not pay for hcl2json.
 *
 * Usage: node bench/floor.mjs <paths...>
 * Prints one line, `<files> files <bytes> bytes`; exits 1 when a file does not parse.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const YAML_EXT = new Set([".yaml", ".yml", ".template"]);
const JSON_EXT = new Set([".json"]);
const HCL_EXT = new Set([".tf"]);

/** Files under the given paths, in a stable order, that one of the parsers reads. */
export function listFiles(paths) {
  const files = [];
  const visit = (path) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (!name.startsWith(".")) visit(join(path, name));
      }
      return;
    }
    const ext = extname(path).toLowerCase();
    if (YAML_EXT.has(ext) || JSON_EXT.has(ext) || HCL_EXT.has(ext)) files.push(path);
  };
  for (const path of paths) visit(path);
  return files;
}

let yaml;
let hcl;

/** Parses one file; throws when it is not valid YAML, JSON or HCL. */
export async function parseFile(path) {
  const text = readFileSync(path, "utf8");
  const ext = extname(path).toLowerCase();
  if (JSON_EXT.has(ext)) {
    JSON.parse(text);
  } else if (HCL_EXT.has(ext)) {
    hcl ??= await import("@cdktf/hcl2json");
    await hcl.parse(path, text);
  } else {
    yaml ??= await import("yaml");
    const doc = yaml.parseDocument(text);
    if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
  }
  return Buffer.byteLength(text);
}

/** Parses every file under the paths; returns the count of files and of bytes. */
export async function parseAll(paths) {
  let bytes = 0;
  const files = listFiles(paths);
  for (const file of files) bytes += await parseFile(file);
  return { files: files.length, bytes };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.error("usage: node bench/floor.mjs <paths...>");
    process.exit(2);
  }
  try {
    const { files, bytes } = await parseAll(paths);
    console.log(`${files} files ${bytes} bytes`);
  } catch (error) {
    console.error(`floor: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
