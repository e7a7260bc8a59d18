/**
 * The files of the repository as they were at a git ref, written to a temporary folder with
 * `git archive` (the user's working tree and index are never touched).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  return execFileSync("git", args, { cwd, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 1 << 30, ...(input ? { input } : {}) });
}

export interface BaseTree {
  /** The folder that stands for the working directory at the ref. */
  cwd: string;
  dispose(): void;
}

/** How the user gave the ref, for error messages: the option or command, and whether a path was possible too. */
export interface BaseArgument {
  label: string;
  orPath: boolean;
}

/**
 * Extracts the repository that holds `cwd` as it was at `ref` and returns the folder that
 * corresponds to `cwd` in it, so that the same relative paths name the same files.
 */
export function checkoutBase(ref: string, cwd: string, argument: BaseArgument = { label: "--new-since", orPath: false }): BaseTree {
  const { label, orPath } = argument;
  let top: string;
  try {
    top = git(["rev-parse", "--show-toplevel"], cwd).toString().trim();
  } catch {
    throw new UsageError(orPath ? `${label}: "${ref}" is not a file or folder, and ${cwd} is not inside a git repository to read it as a git ref` : `${label}: ${cwd} is not inside a git repository`);
  }
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top);
  } catch {
    throw new UsageError(orPath ? `${label}: "${ref}" is not a file, a folder or a git ref` : `${label}: unknown git ref "${ref}"`);
  }
  const dir = mkdtempSync(join(tmpdir(), "parapet-base-"));
  try {
    const archive = git(["archive", "--format=tar", ref], top);
    execFileSync("tar", ["-x", "-f", "-", "-C", dir], { input: archive, stdio: ["pipe", "ignore", "pipe"], maxBuffer: 1 << 30 });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new UsageError(`${label}: cannot read ${ref} with git (${(e as Error).message.split("\n")[0]})`);
  }
  const inside = relative(top, resolve(cwd)).split(sep).join("/");
  return { cwd: inside ? join(dir, inside) : dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
