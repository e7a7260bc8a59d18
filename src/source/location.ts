/** Source positions: every finding points at a file, line and column (1-based). */

export interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A path into a parsed document: map keys and list indexes. */
export type PropertyPath = readonly (string | number)[];

/** A file that was read, with a way to find where a property of it is written. */
export interface SourceFile {
  /** Path as shown to users: relative to the working directory, with `/` separators. */
  path: string;
  /** Absolute path on disk. */
  absolutePath: string;
  text: string;
  /** Position of the property at `path` (the key of a map entry, the item of a list). */
  locate(path: PropertyPath): Position | undefined;
}

/** Renders a property path as `Properties.SecurityGroupIngress[0].CidrIp`. */
export function formatPath(path: PropertyPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** 1-based line and column of a character offset. */
export function offsetToPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
