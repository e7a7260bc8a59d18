/** The JSON files of a cloud assembly (manifests, asset manifests, metadata). */
import { closeSync, openSync, readSync } from "node:fs";
import { checkedText, readSourceBytes } from "../../source/read.js";
import { decodeText } from "../../source/decode.js";
import { LimitExceeded } from "../../limits/limits.js";

/** Told about an assembly JSON file larger than `max-file-size`, which is not read. */
export type TooLarge = (path: string, e: LimitExceeded) => void;

/**
 * The data of a JSON file (in any encoding decode.ts tells), or undefined when it cannot be
 * read, is no text or is not JSON. A file over `max-file-size` is not read, like every other
 * input: `tooLarge` is told, so that the assembly can report it.
 */
export function readJsonFile(path: string, tooLarge?: TooLarge): unknown {
  try {
    return JSON.parse(checkedText(decodeText(readSourceBytes(path)))) as unknown;
  } catch (e) {
    if (e instanceof LimitExceeded) tooLarge?.(path, e);
    return undefined;
  }
}

/** How much of a manifest too large to read is looked at to tell whether it is a cloud assembly's. */
const HEAD_BYTES = 64 * 1024;

/** Whether the start of a file reads like a cloud assembly manifest (`{"version": "…", "artifacts": {`). */
export function looksLikeAssemblyManifest(path: string): boolean {
  let head = "";
  try {
    const fd = openSync(path, "r");
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      head = decodeText(buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0))).text;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  return /"version"\s*:\s*"/.test(head) && /"artifacts"\s*:\s*\{/.test(head);
}
