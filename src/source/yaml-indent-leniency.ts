/**
 * CloudFormation's YAML reader (like PyYAML, which the AWS CLI and cfn-lint use) accepts the
 * continuation lines of a quoted string or a flow collection (`[...]`, `{...}`) at any
 * indentation, down to column 0. YAML 1.2, and the `yaml` package, require them to be indented
 * more than the enclosing block. Leading white space of those lines is not part of the value
 * (it folds into one space, or separates flow tokens), so indenting them changes nothing that
 * the template means: this module indents them in a copy of the text and parses that copy.
 *
 * Line numbers are kept; columns on the indented lines are mapped back by {@link PositionMap}.
 */
import { LineCounter, type Document } from "yaml";
import { offsetToPosition } from "./location.js";
import { LineIndex } from "./line-index.js";
import { constructEnd, flowConstructs, type FlowConstruct } from "./yaml-flow-constructs.js";

/** One construct whose continuation lines were indented. */
export interface Relaxation {
  construct: FlowConstruct;
  /** Where the construct starts in the original text (1-based). */
  line: number;
  column: number;
  /** 1-based lines that were indented. */
  lines: number[];
}

/** Old and new width of a line's leading white space, once per indentation applied to it. */
type Padding = Map<number, Array<[oldWidth: number, newWidth: number]>>;

/** Line and column (1-based) of an offset of the relaxed text, in the original text. */
export class PositionMap {
  constructor(
    private readonly lines: LineCounter,
    private readonly padding: Padding,
  ) {}

  linePos(offset: number): { line: number; col: number } {
    const p = this.lines.linePos(offset);
    return { line: p.line, col: originalColumn(this.padding, p.line, p.col) };
  }
}

function originalColumn(padding: Padding, line: number, col: number): number {
  const pads = padding.get(line);
  if (!pads) return col;
  for (let i = pads.length - 1; i >= 0; i--) {
    const [oldWidth, newWidth] = pads[i]!;
    col = col <= newWidth ? Math.min(col, oldWidth + 1) : col - (newWidth - oldWidth);
  }
  return col;
}

/** Constructs relaxed per file at most: each one costs two parses of the whole text. */
const MAX_RELAXATIONS = 20;
/** Characters parsed again per file at most (a large file gets fewer relaxations). */
const MAX_REPARSED = 20_000_000;

export interface RelaxedParse {
  doc: Document.Parsed;
  /** The text that was parsed (the original, or a copy with indented continuation lines). */
  text: string;
  positions: PositionMap;
  relaxations: Relaxation[];
}

/**
 * Parses `text`; while the first error lies in an under-indented quoted string or flow
 * collection that CloudFormation reads, indents that construct's lines and parses again.
 * A copy is kept only when the construct then parses: anything else is a real error.
 */
export function parseRelaxingFlowIndentation(
  text: string,
  parse: (text: string) => { doc: Document.Parsed; lines: LineCounter },
): RelaxedParse {
  let current = parse(text);
  let currentText = text;
  const padding: Padding = new Map();
  const relaxations: Relaxation[] = [];
  const limit = Math.min(MAX_RELAXATIONS, Math.floor(MAX_REPARSED / Math.max(1, text.length)));
  while (relaxations.length < limit) {
    const first = current.doc.errors[0];
    if (!first) break;
    const found = underIndentedConstruct(currentText, first.pos[0]);
    if (!found) break;
    const paddedText = indentLines(currentText, found.lines, found.width);
    const next = parse(paddedText);
    const nextError = next.doc.errors[0];
    if (nextError && next.lines.linePos(nextError.pos[0]).line <= found.lastLine) break;
    const at = offsetToPosition(currentText, found.construct.start);
    relaxations.push({ construct: found.construct, line: at.line, column: originalColumn(padding, at.line, at.column), lines: found.lines });
    for (const [line, oldWidth] of found.oldWidths) padding.set(line, [...(padding.get(line) ?? []), [oldWidth, found.width]]);
    current = next;
    currentText = paddedText;
  }
  return { doc: current.doc, text: currentText, positions: new PositionMap(current.lines, padding), relaxations };
}

/** A parse of the text as written, in the shape of a relaxed one. */
export function parsedAsWritten(text: string, parsed: { doc: Document.Parsed; lines: LineCounter }): RelaxedParse {
  return { doc: parsed.doc, text, positions: new PositionMap(parsed.lines, new Map()), relaxations: [] };
}

interface UnderIndented {
  construct: FlowConstruct;
  /** 1-based lines to indent, and the width of their leading white space now. */
  lines: number[];
  oldWidths: Map<number, number>;
  /** Width of the leading white space they get: one more than the construct's column. */
  width: number;
  lastLine: number;
}

/** The outermost multi-line flow construct around `offset` with lines indented too little. */
function underIndentedConstruct(text: string, offset: number): UnderIndented | undefined {
  const lines = new LineIndex(text);
  for (const construct of flowConstructs(text)) {
    if (construct.start >= offset) break;
    const end = constructEnd(text, construct);
    if (end === undefined || end < offset) continue;
    const found = linesToIndent(text, lines, construct, end);
    if (found) return found;
  }
  return undefined;
}

const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/;

function linesToIndent(text: string, index: LineIndex, construct: FlowConstruct, end: number): UnderIndented | undefined {
  const startLine = index.lineOf(construct.start);
  const lastLine = index.lineOf(end);
  const width = construct.start - index.startOf(startLine)! + 1;
  const isString = construct.kind.endsWith("string");
  const lines: number[] = [];
  const oldWidths = new Map<number, number>();
  for (let l = startLine + 1; l <= lastLine; l++) {
    const lineText = text.slice(index.startOf(l), (index.startOf(l + 1) ?? text.length + 1) - 1);
    if (/^[ \t\r]*$/.test(lineText)) continue;
    const lead = /^[ \t]*/.exec(lineText)![0];
    if (lead.length >= width && !lead.includes("\t")) continue;
    // A document marker at column 0 ends the document for every YAML reader; tabs may not
    // indent flow collections in PyYAML either.
    if (lead === "" && DOCUMENT_MARKER.test(lineText)) return undefined;
    if (lead.includes("\t") && !isString) return undefined;
    lines.push(l + 1);
    oldWidths.set(l + 1, lead.length);
  }
  return lines.length > 0 ? { construct, lines, oldWidths, width, lastLine: lastLine + 1 } : undefined;
}

function indentLines(text: string, lines: readonly number[], width: number): string {
  const all = text.split("\n");
  const pad = " ".repeat(width);
  for (const line of lines) all[line - 1] = pad + all[line - 1]!.replace(/^[ \t]*/, "");
  return all.join("\n");
}

