/**
 * Offsets in a text turned into 1-based lines and columns, by binary search over the
 * offsets where lines start (built once per text).
 */
import type { Position } from "./location.js";

/** Line starts of a text, for offset → line/column by binary search. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - this.starts[line]! + 1 };
  }

  /** The 0-based index of the line that holds `offset`. */
  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The offset where the 0-based line `line` starts; undefined past the last line. */
  startOf(line: number): number | undefined {
    return this.starts[line];
  }

  /** Position of the characters from `start` up to (not including) `end`. */
  span(span: { start: number; end: number }): Position {
    const start = this.at(span.start);
    const end = this.at(Math.max(span.start, span.end - 1));
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column + 1 };
  }
}
