/**
 * Reading an input file's text: within the `max-file-size` limit, and with one clear message
 * for every way reading can fail (permission denied, deleted during the scan, a folder, a
 * symbolic link loop), so each reader reports the same words.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { activeLimits } from "../limits/budget.js";
import { formatSize, LimitExceeded, limitMessage } from "../limits/limits.js";

/**
 * Reads a file as UTF-8 (invalid bytes become U+FFFD). Throws LimitExceeded when it is
 * larger than the limit, before reading it; fs errors otherwise.
 */
export function readSourceText(path: string): string {
  return readSourceBytes(path).toString("utf8");
}

/** Reads a file's bytes, within the limit as {@link readSourceText} does. */
export function readSourceBytes(path: string): Buffer {
  // Non-blocking: opening a named pipe must not wait for a writer.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
    if (!stat.isFile()) throw Object.assign(new Error("not a regular file"), { code: "ENOTREG" });
    const limits = activeLimits();
    if (stat.size > limits.maxFileSize) {
      throw new LimitExceeded("maxFileSize", limitMessage("maxFileSize", limits, `the file is ${formatSize(stat.size)}`));
    }
    // Read up to one byte past the limit: a file that grows after fstat is still bounded.
    const buffer = Buffer.alloc(Math.min(stat.size, limits.maxFileSize) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > limits.maxFileSize) throw new LimitExceeded("maxFileSize", limitMessage("maxFileSize", limits, "the file grew past the limit while it was read"));
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "the file no longer exists (deleted or moved during the scan)",
  EISDIR: "it is a folder",
  ELOOP: "a loop of symbolic links",
  ENOTDIR: "a part of its path is not a folder",
  EMFILE: "too many open files",
  EIO: "input/output error",
  ENOTREG: "not a regular file (a device, socket or named pipe)",
};

/** Why a file could not be read, for a finding: `cannot read file: permission denied (EACCES)`. */
export function readFailure(e: unknown): string {
  if (e instanceof LimitExceeded) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  if (code) return `cannot read file: ${REASONS[code] ?? "error"} (${code})`;
  return `cannot read file: ${(e as Error).message}`;
}
