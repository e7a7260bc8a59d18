/**
 * Code frames: the lines around a finding, with a line-number gutter, `>` on the offending
 * lines and a caret under the start column. The only module that renders them.
 *
 * ```
 *     10 |   WebSecurityGroup:
 *     11 |     Properties:
 *   > 12 |       SecurityGroupIngress:
 *        |       ^
 *   > 13 |         - CidrIp: 0.0.0.0/0
 *     14 |           FromPort: 22
 * ```
 *
 * Cost is linear in the output: a file's line starts are indexed once per report (see
 * {@link createCodeFrameRenderer}); each frame then slices only the lines it prints, and
 * long lines (minified JSON) are cut to a window around the column.
 */
import type { Position } from "../findings/finding.js";
import { paint, terminalSafe } from "./terminal-text.js";

/** Lines shown before the first offending line. */
const CONTEXT_BEFORE = 2;
/** Lines shown after the last offending line (when it is shown in full). */
const CONTEXT_AFTER = 1;
/** Offending lines shown at most; with the context a frame has at most six source lines. */
const MAX_MARKED_LINES = 3;
/** Characters of a source line shown at most. */
const MAX_LINE_WIDTH = 120;
/** Characters kept before the column when a long line is cut. */
const LEAD_BEFORE_COLUMN = 20;
const ELLIPSIS = "\u2026";

/** A file's text with the offset at which each line starts. */
export interface LineIndex {
  text: string;
  /** `starts[i]` is the offset of line `i + 1`. */
  starts: number[];
}

export interface CodeFrameOptions {
  color: boolean;
  /** Put in front of every frame line. */
  indent?: string;
}

export function indexLines(text: string): LineIndex {
  const starts = [0];
  let next = text.indexOf("\n");
  while (next !== -1) {
    starts.push(next + 1);
    next = text.indexOf("\n", next + 1);
  }
  return { text, starts };
}

/** Text of 1-based line `line`, without its line break. */
function lineText(index: LineIndex, line: number): string {
  const start = index.starts[line - 1]!;
  const end = line < index.starts.length ? index.starts[line]! - 1 : index.text.length;
  const raw = index.text.slice(start, end);
  return raw.endsWith("\r") ? raw.slice(0, -1) : raw;
}

/** Renders the frame for `position`, or `undefined` when the position is not in the file. */
export function renderCodeFrame(index: LineIndex, position: Position, options: CodeFrameOptions): string | undefined {
  const first = position.line;
  // The empty "line" after a final line break is shown only when a finding points at it
  // (an error at the end of the file), never as context.
  const lineCount = index.starts.length;
  const contentLines = index.text.endsWith("\n") ? lineCount - 1 : lineCount;
  if (!Number.isInteger(first) || first < 1 || first > lineCount) return undefined;

  const last = Math.min(Math.max(position.endLine, first), Math.max(contentLines, first));
  const lastMarked = Math.min(last, first + MAX_MARKED_LINES - 1);
  const cut = lastMarked < last;
  const from = Math.max(1, first - CONTEXT_BEFORE);
  const to = cut ? lastMarked : Math.max(lastMarked, Math.min(contentLines, last + CONTEXT_AFTER));

  const firstLine = lineText(index, first);
  const column = Math.min(Math.max(1, Math.trunc(position.column) || 1), firstLine.length + 1);
  const windowStart = column - 1 > MAX_LINE_WIDTH - LEAD_BEFORE_COLUMN ? column - 1 - LEAD_BEFORE_COLUMN : 0;

  const { color } = options;
  const indent = options.indent ?? "";
  const width = String(to).length;
  const bar = paint(color, "dim", "|");
  const out: string[] = [];

  for (let n = from; n <= to; n++) {
    const marked = n >= first && n <= lastMarked;
    const marker = marked ? paint(color, ["red", "bold"], ">") : " ";
    const number = paint(color, marked ? "bold" : "dim", String(n).padStart(width));
    const shown = terminalSafe(windowed(lineText(index, n), windowStart));
    out.push(`${indent}${marker} ${number} ${bar}${shown ? ` ${shown}` : ""}`);
    if (n === first) {
      const caret = paint(color, ["red", "bold"], "^");
      out.push(`${indent}  ${" ".repeat(width)} ${bar} ${caretPadding(firstLine, windowStart, column)}${caret}`);
    }
  }
  if (cut) {
    const more = last - lastMarked;
    out.push(`${indent}  ${" ".repeat(width)} ${bar} ${paint(color, "dim", `${ELLIPSIS} ${more} more line${more === 1 ? "" : "s"}`)}`);
  }
  return out.join("\n");
}

/** The part of `line` shown when the frame starts at character `start`. */
function windowed(line: string, start: number): string {
  if (start === 0 && line.length <= MAX_LINE_WIDTH) return line;
  const head = start > 0 ? ELLIPSIS : "";
  const tail = line.length > start + MAX_LINE_WIDTH ? ELLIPSIS : "";
  return head + line.slice(start, start + MAX_LINE_WIDTH) + tail;
}

/** Blanks up to the caret; tabs are copied so the caret lines up with tab-indented text. */
function caretPadding(line: string, windowStart: number, column: number): string {
  let pad = windowStart > 0 ? " " : "";
  for (let i = windowStart; i < column - 1; i++) pad += line[i] === "\t" ? "\t" : " ";
  return pad;
}

/**
 * A frame renderer for one report: each file is read and indexed at most once, however many
 * findings it has. Returns `undefined` for files `readSource` cannot provide.
 */
export function createCodeFrameRenderer(
  readSource: ((file: string) => string | undefined) | undefined,
  options: CodeFrameOptions,
): (file: string, position: Position) => string | undefined {
  const indexes = new Map<string, LineIndex | undefined>();
  return (file, position) => {
    if (!readSource) return undefined;
    let index = indexes.get(file);
    if (!indexes.has(file)) {
      const text = readSource(file);
      index = text === undefined ? undefined : indexLines(text);
      indexes.set(file, index);
    }
    return index && renderCodeFrame(index, position, options);
  };
}
