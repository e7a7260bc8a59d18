/**
 * Which Terraform root module a finding belongs to, when its file does not say it: a module's
 * file outside the root's folder (`examples/simple` calling `../../`) is shared by every root
 * that calls it, so its findings are told apart by their root.
 */
import { posix } from "node:path";
import type { Finding } from "./finding.js";

/** The finding's root module folder, when the finding's file is not in that folder; else undefined. */
export function rootOutsideFile(f: Finding): string | undefined {
  if (f.root === undefined) return undefined;
  return posix.dirname(f.file) === f.root ? undefined : f.root;
}

/** ` (root module examples/simple)` for a finding whose file does not name its root; else "". */
export function rootSuffix(f: Finding): string {
  const root = rootOutsideFile(f);
  return root === undefined ? "" : ` (root module ${root})`;
}
