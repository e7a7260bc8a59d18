/**
 * Folders that a walk could not read. The walker skips them and goes on; parapet reports
 * each as a finding, so that templates in a folder it cannot open are never silently
 * left out of a scan that then passes.
 */
import { readdir } from "node:fs";
import type { Options } from "fast-glob";
import { readFailure } from "../source/read.js";

/** Errors that do not hide anything: the folder is gone (deleted during the walk) or was not a folder. */
const HARMLESS = new Set(["ENOENT", "ENOTDIR"]);

export interface FolderWatch {
  /** File system functions for fast-glob's `fs` option that record failed folder reads. */
  fs: NonNullable<Options["fs"]>;
  /** Folder → why it could not be read. */
  failures: Map<string, string>;
}

export function watchFolders(): FolderWatch {
  const failures = new Map<string, string>();
  const record = (path: string, error: NodeJS.ErrnoException | null) => {
    if (error && !HARMLESS.has(error.code ?? "")) failures.set(path, readFailure(error).replace(/^cannot read file/, "cannot read folder"));
  };
  const watched = ((path: string, options: unknown, callback?: (error: NodeJS.ErrnoException | null, entries: unknown) => void) => {
    if (typeof options === "function") {
      const cb = options as (error: NodeJS.ErrnoException | null, entries: unknown) => void;
      readdir(path, (error, entries) => (record(path, error), cb(error, entries)));
    } else {
      readdir(path, options as { withFileTypes: true }, (error, entries) => (record(path, error), callback!(error, entries)));
    }
  }) as NonNullable<Options["fs"]>["readdir"];
  return { fs: { readdir: watched }, failures };
}
