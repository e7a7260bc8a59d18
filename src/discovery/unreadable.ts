/**
 * Folders that a walk could not read, and the symbolic links it met. The walker skips both
 * and goes on; parapet reports each folder as a finding and each link as a link not followed,
 * so that templates in a folder it cannot open, or behind a link, are never silently left
 * out of a scan that then passes.
 */
import { readdir, type Dirent } from "node:fs";
import { join } from "node:path";
import type { Options } from "fast-glob";
import { readFailure } from "../source/read.js";

/** Errors that do not hide anything: the folder is gone (deleted during the walk) or was not a folder. */
const HARMLESS = new Set(["ENOENT", "ENOTDIR"]);

export interface FolderWatch {
  /** File system functions for fast-glob's `fs` option that record failed folder reads. */
  fs: NonNullable<Options["fs"]>;
  /** Folder → why it could not be read. */
  failures: Map<string, string>;
  /** The symbolic links in the folders read (absolute paths), which the walk does not follow. */
  links: string[];
}

export function watchFolders(): FolderWatch {
  const failures = new Map<string, string>();
  const links: string[] = [];
  const record = (path: string, error: NodeJS.ErrnoException | null, entries?: unknown) => {
    if (error && !HARMLESS.has(error.code ?? "")) failures.set(path, readFailure(error).replace(/^cannot read file/, "cannot read folder"));
    if (Array.isArray(entries)) for (const e of entries as (Dirent | string)[]) if (typeof e !== "string" && e.isSymbolicLink()) links.push(join(path, e.name));
  };
  const watched = ((path: string, options: unknown, callback?: (error: NodeJS.ErrnoException | null, entries: unknown) => void) => {
    if (typeof options === "function") {
      const cb = options as (error: NodeJS.ErrnoException | null, entries: unknown) => void;
      readdir(path, (error, entries) => (record(path, error), cb(error, entries)));
    } else {
      readdir(path, options as { withFileTypes: true }, (error, entries) => (record(path, error, entries), callback!(error, entries)));
    }
  }) as NonNullable<Options["fs"]>["readdir"];
  return { fs: { readdir: watched }, failures, links };
}
