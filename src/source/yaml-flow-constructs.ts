/**
 * Flow constructs of a YAML text (quoted strings, `[...]` and `{...}` collections): where the
 * `yaml` package's concrete syntax tree starts them, and where their closing character really
 * is. Used only after a parse reported errors, to place the error at the start of the construct
 * and to read the under-indented flow text that CloudFormation accepts.
 */
import { Parser } from "yaml";

export type FlowKind = "double-quoted string" | "single-quoted string" | "flow sequence" | "flow mapping";

export interface FlowConstruct {
  kind: FlowKind;
  /** Offset of the opening quote or bracket. */
  start: number;
}

const QUOTED: Record<string, FlowKind> = { "double-quoted-scalar": "double-quoted string", "single-quoted-scalar": "single-quoted string" };

/** Every flow construct the `yaml` parser started, in text order (outer before inner). */
export function flowConstructs(text: string): FlowConstruct[] {
  const out: FlowConstruct[] = [];
  const visit = (token: unknown): void => {
    if (Array.isArray(token)) {
      for (const t of token) visit(t);
      return;
    }
    if (typeof token !== "object" || token === null) return;
    const t = token as { type?: string; offset?: number; start?: { offset: number; source: string } };
    const quoted = t.type ? QUOTED[t.type] : undefined;
    if (quoted && typeof t.offset === "number") out.push({ kind: quoted, start: t.offset });
    if (t.type === "flow-collection" && t.start) out.push({ kind: t.start.source === "[" ? "flow sequence" : "flow mapping", start: t.start.offset });
    for (const value of Object.values(t)) if (typeof value === "object") visit(value);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return out.sort((a, b) => a.start - b.start);
}

/** Offset of the quote that closes the quoted string opening at `start`, or undefined. */
export function quotedEnd(text: string, start: number): number | undefined {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote === '"' && ch === "\\") i++;
    else if (ch === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return undefined;
}

/** Offset of the bracket that closes the flow collection opening at `start`, or undefined. */
export function collectionEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const end = quotedEnd(text, i);
      if (end === undefined) return undefined;
      i = end;
    } else if (ch === "#" && /\s/.test(text[i - 1] ?? "\n")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "[" || ch === "{") depth++;
    else if (ch === "]" || ch === "}") {
      if (--depth === 0) return i;
    }
  }
  return undefined;
}

/** Where a flow construct ends (its closing character), or undefined when it is never closed. */
export function constructEnd(text: string, construct: FlowConstruct): number | undefined {
  return construct.kind.endsWith("string") ? quotedEnd(text, construct.start) : collectionEnd(text, construct.start);
}

/**
 * The innermost construct of this family (strings or collections) that starts at or before
 * `offset` and is not closed before it.
 */
export function openConstructAt(text: string, constructs: readonly FlowConstruct[], offset: number, family: "string" | "collection"): FlowConstruct | undefined {
  let found: FlowConstruct | undefined;
  for (const c of constructs) {
    if (c.start > offset) break;
    if (c.kind.endsWith("string") !== (family === "string")) continue;
    const end = constructEnd(text, c);
    if (end === undefined || end >= offset) found = c;
  }
  return found;
}
