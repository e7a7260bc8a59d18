/** The JSON files of a cloud assembly (manifests, asset manifests, metadata). */
import { readFileSync } from "node:fs";
import { checkedText } from "../../source/read.js";
import { decodeText } from "../../source/decode.js";

/** The data of a JSON file (in any encoding decode.ts tells), or undefined when it cannot be read, is no text or is not JSON. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(checkedText(decodeText(readFileSync(path)))) as unknown;
  } catch {
    return undefined;
  }
}
