/**
 * How deep a file's data nests, measured on the text before any parser sees it, so that a
 * file nested thousands of levels deep is refused with a message instead of exhausting the
 * call stack of a recursive parser.
 *
 * JSON is measured exactly. For YAML and HCL the measure is an upper bound of the real
 * depth: it may count a few levels more than the data has (a `- key: value` line counts
 * both indicators), never fewer, so a file within the limit is always safe to parse.
 */
export type DepthSyntax = "json" | "yaml" | "hcl";

/** Where the nesting first goes past `max`, or undefined when it never does. */
export function findTooDeep(text: string, syntax: DepthSyntax, max: number): number | undefined {
  if (syntax === "json") return jsonTooDeep(text, max);
  if (syntax === "hcl") return hclTooDeep(text, max);
  return yamlTooDeep(text, max);
}

function jsonTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

function hclTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== "\n"; i++) if (text[i] === "\\") i++;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "<" && text[i + 1] === "<") {
      // a heredoc: its body is text, up to the line that holds only its marker
      const m = /^<<-?([A-Za-z_][\w-]*)\r?\n/.exec(text.slice(i, i + 256));
      if (!m) continue;
      const end = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(\\r?\\n|$)`).exec(text.slice(i + m[0].length - 1));
      i = end ? i + m[0].length - 1 + end.index + end[0].length - 1 : text.length;
    } else if (c === "{" || c === "[" || c === "(") {
      if (++depth > max) return i;
    } else if (c === "}" || c === "]" || c === ")") {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, DQUOTE = 0x22, SQUOTE = 0x27, BACKSLASH = 0x5c, HASH = 0x23;
const DASH = 0x2d, QUESTION = 0x3f, COLON = 0x3a, COMMA = 0x2c;
const OPEN_SQUARE = 0x5b, CLOSE_SQUARE = 0x5d, OPEN_CURLY = 0x7b, CLOSE_CURLY = 0x7d;
/** Besides white space, what may stand before a quote that opens a quoted scalar. */
const QUOTE_OPENERS = [OPEN_SQUARE, OPEN_CURLY, COMMA, COLON, DASH, QUESTION];
/** Besides white space, what may stand before a `-` or `?` indicator. */
const FLOW_OPENERS = [OPEN_SQUARE, OPEN_CURLY, COMMA];

/** A letter or digit of ASCII: a character that never changes the nesting. */
function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

/** White space as the regular expression `\s` has it (one UTF-16 unit). */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === SPACE || (c >= TAB && c <= CR);
  return /\s/.test(String.fromCharCode(c));
}

/** The end of a line that starts a block scalar: `key: |`, `- >-`, `|2+`. */
const BLOCK_SCALAR = /(^|\s)[|>][1-9]?[+-]?[1-9]?$/;

/**
 * YAML: indentation levels of block collections, plus the `-`, `?` and `key:` indicators of
 * the line (`- - - x` nests three lists on one line), plus brackets of flow collections.
 * Quoted scalars, comments and the bodies of block scalars (`|`, `>`) are skipped.
 */
function yamlTooDeep(text: string, max: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: number | undefined;
  let blockScalarIndent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && (text[i] === " " || text[i] === "\t")) i++;
    const indent = i - lineStart;
    const blank = i >= lineEnd || text[i] === "\r" || text[i] === "#";
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockScalarIndent = -1;
    if (blank && quote === undefined) {
      lineStart = lineEnd + 1;
      continue;
    }
    if (flow === 0 && quote === undefined) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let indicators = 0;
    let last = -1;
    for (; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (quote === undefined && isWordChar(c)) {
        last = i; // most characters: nothing to track
        continue;
      }
      const before = i === lineStart ? SPACE : text.charCodeAt(i - 1);
      if (quote !== undefined) {
        if (quote === DQUOTE && c === BACKSLASH) i++;
        else if (c === quote) {
          if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) i++;
          else quote = undefined;
        }
        continue;
      }
      if ((c === DQUOTE || c === SQUOTE) && (isSpace(before) || QUOTE_OPENERS.includes(before))) {
        quote = c;
        last = i;
        continue;
      }
      if (c === HASH && isSpace(before)) break;
      if (
        (c === DASH || c === QUESTION || c === COLON) &&
        isSpace(i + 1 < text.length ? text.charCodeAt(i + 1) : SPACE) &&
        (c === COLON || isSpace(before) || FLOW_OPENERS.includes(before))
      ) {
        indicators++;
      } else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
        flow++;
        if (indents.length + indicators + flow > max) return i;
      } else if ((c === CLOSE_SQUARE || c === CLOSE_CURLY) && flow > 0) flow--;
      if (c !== SPACE && c !== TAB && c !== CR) last = i;
    }
    if (indents.length + indicators + flow > max) return lineStart + indent;
    if (flow === 0 && quote === undefined && last >= 0 && BLOCK_SCALAR.test(text.slice(Math.max(lineStart, last - 4), last + 1))) blockScalarIndent = indent;
    lineStart = lineEnd + 1;
  }
  return undefined;
}
