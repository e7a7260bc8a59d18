/**
 * The key path of the YAML node written at a place in the text: what identifies a note about
 * that node (its fingerprint) when lines move.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { PropertyPath } from "./location.js";

/** Where a syntax node starts, as 1-based line and column of the text the user wrote. */
export type StartOf = (node: Node) => { line: number; column: number } | undefined;

/** The path of the node that starts at `line`/`column` (a value, not a key), searched from `root`. */
export function pathOfNodeAt(root: unknown, startOf: StartOf, line: number, column: number): PropertyPath | undefined {
  const found = (node: unknown, path: (string | number)[]): PropertyPath | undefined => {
    if (!node || typeof node !== "object") return undefined;
    const start = startOf(node as Node);
    if (start && start.line === line && start.column === column) return path;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const hit = found(pair.value, [...path, key]);
        if (hit) return hit;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const hit = found(node.items[i], [...path, i]);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return found(root, []);
}
