/**
 * The files a configuration reads with `file()`, `filebase64()` and `templatefile()`:
 * read as bytes (never run), only inside the folder parapet scans and within the file-size
 * limit. Terraform resolves a relative path against its working directory, the root
 * module's folder; `path.module` and `path.root` are written relative to it.
 */
import { isAbsolute, resolve } from "node:path";
import { readSourceBytes } from "../../source/read.js";
import { displayPath, isInsideResolved } from "../../source/paths.js";
import { LimitExceeded, formatSize } from "../../limits/limits.js";
import { activeLimits } from "../../limits/budget.js";
import { Unknown } from "../../values/value.js";
import type { ConfigurationFile } from "./expressions.js";

/** Where a run may read and how paths are shown; files already read, by absolute path. */
export interface FileAccess {
  cwd: string;
  /** Files outside this folder are not read. */
  boundary: string;
  /** The root module's folder: relative paths start there. */
  rootDir: string;
  read: Map<string, ConfigurationFile | Unknown>;
}

/** The file at `path`, or an Unknown naming why it is not read. */
export function readConfigurationFile(path: string, access: FileAccess): ConfigurationFile | Unknown {
  const absolute = isAbsolute(path) ? path : resolve(access.rootDir, path);
  const known = access.read.get(absolute);
  if (known) return known;
  const result = readWithin(absolute, access);
  access.read.set(absolute, result);
  return result;
}

function readWithin(absolute: string, access: FileAccess): ConfigurationFile | Unknown {
  const shown = displayPath(access.cwd, absolute);
  // A symbolic link inside the folder may lead out of it: the target decides.
  if (!isInsideResolved(access.boundary, absolute)) return new Unknown(`file ${shown} is outside the scanned folder; parapet does not read it`);
  try {
    return { bytes: readSourceBytes(absolute), shown };
  } catch (error) {
    return new Unknown(failure(error, shown));
  }
}

function failure(error: unknown, shown: string): string {
  if (error instanceof LimitExceeded) return `file ${shown} is larger than the file-size limit (max-file-size is ${formatSize(activeLimits().maxFileSize)}); parapet did not read it`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return `file ${shown} does not exist (Terraform would fail)`;
  if (code === "EISDIR") return `${shown} is a folder, not a file (Terraform would fail)`;
  return `file ${shown} cannot be read (${code ?? (error as Error).message})`;
}
