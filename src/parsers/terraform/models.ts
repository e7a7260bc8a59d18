/**
 * Models of public registry modules (see models/README.md): evaluated in place of a module
 * that is neither in the repository nor downloaded by `terraform init`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Resolved } from "../../values/value.js";
import { packagePath } from "../../paths.js";

const MODELS_DIR = packagePath("src", "parsers", "terraform", "models");

export interface ModuleModel {
  source: string;
  majors: number[];
  /** Absolute folder of the model's .tf files. */
  dir: string;
  describes: string;
}

let models: ModuleModel[] | undefined;

function allModels(): ModuleModel[] {
  models ??= (JSON.parse(readFileSync(join(MODELS_DIR, "models.json"), "utf8")) as ModuleModel[]).map((m) => ({
    ...m,
    dir: join(MODELS_DIR, m.dir),
  }));
  return models;
}

/** `registry.terraform.io/ns/name/provider//sub?ref=x` → `ns/name/provider`. */
function registryAddress(source: string): string {
  return source.replace(/^registry\.terraform\.io\//, "").replace(/\/\/.*$/, "").replace(/\?.*$/, "");
}

/**
 * The major version a constraint pins: `1.0.4`, `= 2.1`, `~> 3.0` → 1, 2, 3. An open-ended
 * constraint (`>= 2.0` with no upper bound) or none at all may resolve to any later version,
 * so no model is assumed for it.
 */
export function pinnedMajor(constraint: Resolved): number | undefined {
  if (typeof constraint !== "string") return undefined;
  const parts = constraint.split(",").map((p) => p.trim());
  const lower = parts.find((p) => /^(=|~>|v)?\s*\d/.test(p));
  if (lower) return Number(/\d+/.exec(lower)![0]);
  const below = parts.find((p) => /^<\s*\d/.test(p));
  const from = parts.find((p) => /^>=?\s*\d/.test(p));
  if (below && from) {
    const hi = Number(/\d+/.exec(below)![0]);
    const lo = Number(/\d+/.exec(from)![0]);
    return hi === lo + 1 ? lo : undefined; // `>= 3.0, < 4.0` pins major 3

  }
  return undefined;
}

export function findModel(source: string, version: Resolved): ModuleModel | undefined {
  const address = registryAddress(source);
  const major = pinnedMajor(version);
  if (major === undefined) return undefined;
  return allModels().find((m) => m.source === address && m.majors.includes(major));
}
