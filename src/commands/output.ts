/** `--output FILE`: where a command's report goes instead of standard output. */
import { closeSync, openSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";

function writeChunks(path: string, chunks: Iterable<string>): void {
  const fd = openSync(path, "w");
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** `--output FILE`: the report, written in pieces; a file that cannot be written is a usage error naming it. */
export function writeReport(output: string, chunks: Iterable<string>, cwd: string): void {
  try {
    writeChunks(resolve(cwd, output), chunks);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new UsageError(`--output ${output}: cannot write (${code})`);
  }
}
