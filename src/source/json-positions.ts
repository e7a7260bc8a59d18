/**
 * Source positions in JSON text. A JSON template's data comes from `JSON.parse`, which knows
 * no positions; this index is built only when a finding needs one, in one pass over the text
 * (which `JSON.parse` has already accepted), without recursion, so that deep nesting cannot
 * overflow the stack.
 */
import { LineIndex } from "./line-index.js";
import type { Position, PropertyPath } from "./location.js";

/** Where one value is written, and for objects and arrays where their members are. */
interface Span {
  /** Offset of the value's first character; for an object member, of its key. */
  start: number;
  /** Offset just past the value's last character. */
  end: number;
  members?: Map<string, Span>;
  items?: Span[];
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just past the string that starts at `i` (a `"`). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return text.length;
}

/** Offset just past a number, `true`, `false` or `null` starting at `i`. */
function skipScalar(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (WS.has(c) || c === 0x2c || c === 0x7d || c === 0x5d) break;
    j++;
  }
  return j;
}

function keyText(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes("\\") ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

interface Frame {
  span: Span;
  /** The member whose value is being read (objects). */
  key?: string;
  keyStart?: number;
}

/** Indexes the positions of every value of a JSON text; undefined when it is not one JSON value. */
export function indexJson(text: string): Span | undefined {
  let i = skipWhitespace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const stack: Frame[] = [];
  let root: Span | undefined;
  // Places a finished value in its parent (or as the root).
  const place = (span: Span) => {
    const parent = stack[stack.length - 1];
    if (!parent) root = span;
    else if (parent.span.items) parent.span.items.push(span);
    else if (parent.key !== undefined) {
      // JSON.parse keeps the last of repeated keys, and so does the index.
      parent.span.members!.set(parent.key, { ...span, start: parent.keyStart! });
      parent.key = undefined;
    }
  };
  // Ends the innermost object or list at its closing bracket, at offset `at`.
  const close = (at: number) => {
    const done = stack.pop()!.span;
    done.end = at + 1;
    place(done);
  };
  while (i < text.length) {
    i = skipWhitespace(text, i);
    const top = stack[stack.length - 1];
    const c = text.charCodeAt(i);
    if (top?.span.members && top.key === undefined) {
      // Inside an object, before a key or at its end.
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c === 0x7d) {
        close(i);
        i++;
        continue;
      }
      if (c !== 0x22) return undefined;
      const keyEnd = skipString(text, i);
      top.key = keyText(text, i, keyEnd);
      top.keyStart = i;
      i = skipWhitespace(text, keyEnd);
      if (text.charCodeAt(i) !== 0x3a) return undefined;
      i++;
      continue;
    }
    if (top?.span.items && (c === 0x2c || c === 0x5d)) {
      if (c === 0x5d) close(i);
      i++;
      continue;
    }
    if (i >= text.length) break;
    if (c === 0x7b) {
      stack.push({ span: { start: i, end: i, members: new Map() } });
      i++;
    } else if (c === 0x5b) {
      stack.push({ span: { start: i, end: i, items: [] } });
      i++;
    } else {
      const end = c === 0x22 ? skipString(text, i) : skipScalar(text, i);
      if (end === i) return undefined;
      place({ start: i, end });
      i = end;
    }
    if (stack.length === 0 && root) break;
  }
  return stack.length === 0 ? root : undefined;
}

/** A `locate` for a JSON text: the index is built on the first call. */
export function jsonLocator(text: string): (path: PropertyPath) => Position | undefined {
  let index: { root: Span | undefined; lines: LineIndex } | undefined;
  return (path) => {
    index ??= { root: indexJson(text), lines: new LineIndex(text) };
    let span = index.root;
    for (const part of path) {
      if (!span) return undefined;
      span = span.members ? span.members.get(String(part)) : span.items && typeof part === "number" ? span.items[part] : undefined;
    }
    return span ? index.lines.span(span) : undefined;
  };
}
