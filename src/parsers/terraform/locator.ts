/**
 * Finds where blocks and attributes are written in Terraform HCL native syntax.
 *
 * `@cdktf/hcl2json` returns data without positions, so this module scans the source text
 * itself and answers position queries addressed by the same paths as hcl2json's JSON:
 *
 * - a block nests under its type, then each of its labels, then the index of the body among
 *   the blocks with the same type and labels in the same parent body, in source order:
 *   `resource "aws_instance" "web" { ... }` is `["resource", "aws_instance", "web", 0]`,
 *   `locals { ... }` is `["locals", 0]`;
 * - an attribute is its name inside the body: `["locals", 0, "a"]`;
 * - a value written as a literal tuple or object can be followed by index or key
 *   (`["locals", 0, "tags", "Name"]`, `[..., "cidr_blocks", 1]`); a path that goes on into
 *   an expression that cannot be followed (`var.x`, `merge(...)`, `[for ...]`) stops at the
 *   attribute, item or entry that holds the expression.
 *
 * Positions: an attribute runs from the first character of its name to the last character of
 * its value; a block from its type keyword to its closing brace; a tuple item is the item; an
 * object entry runs from its key to the end of its value. Lines and columns are 1-based,
 * columns count UTF-16 code units, and a byte order mark is not counted (as on the
 * CloudFormation side). `endColumn` is one past the last character.
 *
 * The scanner makes one pass over the text the first time a position is asked for and keeps
 * an index of bodies, blocks and attributes; it never throws and always terminates, also on
 * text with syntax errors (what it cannot find is `undefined`).
 */
import { LineIndex } from "../../source/line-index.js";
import type { Position, PropertyPath } from "../../source/location.js";
import { type Body, Scanner, type Span, type Value, blockKey, emptyBody } from "./hcl-scanner.js";

export interface HclLocator {
  locate(path: PropertyPath): Position | undefined;
}

/** Follows `path` from `index` onward through a body; returns the deepest span it names. */
function resolveInBody(body: Body, path: PropertyPath, index: number): Span | undefined {
  let current = body;
  let i = index;
  for (;;) {
    const name = path[i];
    if (typeof name !== "string") return undefined;
    const attribute = current.attributes.get(name);
    if (attribute) return resolveInValue(attribute, attribute.value, path, i + 1);
    const ofType = current.blocksByType.get(name);
    if (!ofType) return undefined;
    // Labels are the strings up to the next number, which is the index of the body.
    let j = i + 1;
    while (j < path.length && typeof path[j] === "string") j++;
    const labels = path.slice(i + 1, j) as string[];
    if (j >= path.length) {
      // No index: the first block whose labels start with the given ones.
      return ofType.find((b) => labels.every((l, k) => b.labels[k] === l));
    }
    const block = current.blocksByKey.get(blockKey(name, labels))?.[path[j] as number];
    if (!block) return undefined;
    if (j + 1 >= path.length) return block;
    current = block.body;
    i = j + 1;
  }
}

/** Follows `path` from `index` into a value held by `owner` (attribute, item or entry). */
function resolveInValue(owner: Span, value: Value, path: PropertyPath, index: number): Span | undefined {
  let holder = owner;
  let current = value;
  for (let i = index; i < path.length; i++) {
    const part = path[i]!;
    if (current.kind === "expression") return holder; // cannot be followed: the holder it is
    if (current.kind === "literal") return undefined;
    if (current.kind === "tuple") {
      if (typeof part !== "number") return undefined;
      const item = current.items[part];
      if (!item) return undefined;
      holder = item;
      current = item;
    } else {
      if (typeof part !== "string") return undefined;
      const entry = current.entries.get(part);
      if (!entry) return undefined;
      holder = entry;
      current = entry.value;
    }
  }
  return holder;
}

/** A locator for the HCL text `text`; the text is scanned on the first `locate` call. */
export function createLocator(text: string): HclLocator {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let index: { root: Body; lines: LineIndex } | undefined;
  return {
    locate(path: PropertyPath): Position | undefined {
      try {
        if (!index) {
          let root: Body;
          try {
            root = new Scanner(source).scanFile();
          } catch {
            root = emptyBody(); // pathological nesting: nothing can be located
          }
          index = { root, lines: new LineIndex(source) };
        }
        if (path.length === 0) return undefined;
        const span = resolveInBody(index.root, path, 0);
        return span ? index.lines.span(span) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
