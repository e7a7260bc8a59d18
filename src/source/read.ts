/**
 * Reading an input file's text: within the `max-file-size` limit, decoded by the one decoder
 * (decode.ts), and with one clear message for every way reading can fail (permission denied,
 * deleted during the scan, a folder, a symbolic link loop, bytes that are no text), so each
 * reader reports the same words.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { activeLimits } from "../limits/budget.js";
import { formatSize, LimitExceeded, limitMessage } from "../limits/limits.js";
import { decodeText, describeEncoding, type DecodedText } from "./decode.js";

/** A file whose bytes are not text its reader takes: the message says why, at the first bad byte. */
export class EncodingError extends Error {
  override readonly name = "EncodingError";
  constructor(
    message: string,
    readonly line = 1,
    readonly column = 1,
  ) {
    super(message);
  }
}

/** Reads and decodes a file (see decode.ts); bytes that are no text are told in `invalid`, not thrown. */
export function readSource(path: string): DecodedText {
  return decodeText(readSourceBytes(path));
}

/**
 * The text of a decoded file, or an EncodingError when it holds bytes that are no text, or
 * when `utf8Only` names a reader that takes only UTF-8 (Terraform) and the file is in another encoding.
 */
export function checkedText(decoded: DecodedText, utf8Only?: string): string {
  if (decoded.invalid) throw new EncodingError(decoded.invalid.message, decoded.invalid.line, decoded.invalid.column);
  if (utf8Only !== undefined && decoded.encoding !== "UTF-8") {
    throw new EncodingError(`the file is ${describeEncoding(decoded)}; ${utf8Only} reads only UTF-8 and rejects it: save it as UTF-8`);
  }
  return decoded.text;
}

/**
 * Reads a file's text (any encoding decode.ts tells, or only UTF-8 when `utf8Only` names the
 * reader that requires it). Throws LimitExceeded when it is larger than the limit, before
 * reading it; EncodingError for bytes that are no text; fs errors otherwise.
 */
export function readSourceText(path: string, utf8Only?: string): string {
  return checkedText(readSource(path), utf8Only);
}

/** What Terraform reads only as UTF-8 (a UTF-8 byte order mark is allowed): configuration and variables files. */
export const TERRAFORM_UTF8 = "Terraform";

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
  if (e instanceof LimitExceeded || e instanceof EncodingError) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  if (code) return `cannot read file: ${REASONS[code] ?? "error"} (${code})`;
  return `cannot read file: ${(e as Error).message}`;
}

/** A failed read as a parser's diagnostic: the message of {@link readFailure}, at the bad byte when the text was at fault. */
export function readProblem(e: unknown): { message: string; line: number; column: number } {
  const at = e instanceof LimitExceeded || e instanceof EncodingError ? e : { line: 1, column: 1 };
  return { message: readFailure(e), line: at.line, column: at.column };
}
