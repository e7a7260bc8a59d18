/** The JSON files of a cloud assembly (manifests, asset manifests, metadata). */
import { readFileSync } from "node:fs";

/** The data of a JSON file, or undefined when it cannot be read or is not JSON. */
export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}
