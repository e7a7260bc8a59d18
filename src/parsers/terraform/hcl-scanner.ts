/**
 * One pass over Terraform HCL native syntax that records where bodies, blocks, attributes,
 * tuple items and object entries are written (see locator.ts for the paths that address them).
 */

/** A scanned range: `start` is the first character, `end` is one past the last one. */
export interface Span {
  start: number;
  end: number;
}

export interface Body {
  attributes: Map<string, Attribute>;
  /** Blocks by type, in source order. */
  blocksByType: Map<string, Block[]>;
  /** Blocks by type and labels (joined with NUL), in source order. */
  blocksByKey: Map<string, Block[]>;
}

interface Block extends Span {
  type: string;
  labels: string[];
  body: Body;
}

interface Attribute extends Span {
  value: Value;
}

/**
 * A value: a tuple or object written literally can be followed into; a literal scalar
 * (number, bool, null, string without interpolation) has nothing inside it; anything else is
 * an expression, whose contents are not known until it is evaluated.
 */
export type Value =
  | (Span & { kind: "tuple"; items: Value[] })
  | (Span & { kind: "object"; entries: Map<string, Entry> })
  | (Span & { kind: "literal" })
  | (Span & { kind: "expression" });

interface Entry extends Span {
  value: Value;
}

/** Where an expression stops at bracket depth 0. */
const enum Context {
  /** An attribute value in a block body: ends at a newline or the body's closing brace. */
  Body,
  /** An item of a tuple: ends at `,` or `]`; newlines do not end it. */
  Tuple,
  /** A value in an object: ends at `,`, a newline or `}`. */
  Object,
  /** A key in an object: ends at `=` or `:` (or where a value would end). */
  Key,
}

/** Deeper literal tuples and objects than this are kept as expressions (stack safety). */
const MAX_VALUE_DEPTH = 200;
/** Deeper block nesting than this is skipped without being indexed (stack safety). */
const MAX_BLOCK_DEPTH = 200;

const NUMBER_OR_KEYWORD = /^(?:-?\s*\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_QUOTE = 34;
const CH_HASH = 35;
const CH_DOLLAR = 36;
const CH_PERCENT = 37;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_STAR = 42;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_SLASH = 47;
const CH_COLON = 58;
const CH_LT = 60;
const CH_EQ = 61;
const CH_GT = 62;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

function isIdentStart(c: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return true;
  return c > 127 && /[\p{ID_Start}]/u.test(String.fromCharCode(c));
}

function isIdentPart(c: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === CH_MINUS) return true;
  // Surrogate halves are accepted so that identifiers with astral characters stay whole.
  return c > 127 && (/[\p{ID_Continue}]/u.test(String.fromCharCode(c)) || (c >= 0xd800 && c <= 0xdfff));
}

/** ASCII letters, digits, `_` and `.`. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46;
}

function isInlineSpace(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_CR || c === 0xfeff;
}

export function emptyBody(): Body {
  return { attributes: new Map(), blocksByType: new Map(), blocksByKey: new Map() };
}

export function blockKey(type: string, labels: readonly string[]): string {
  return labels.length === 0 ? type : `${type}\u0000${labels.join("\u0000")}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One pass over the text, building the index of the top-level body. */
export class Scanner {
  private pos = 0;
  /** End of the last character that was not white space or a comment. */
  private lastEnd = 0;

  constructor(private readonly text: string) {}

  scanFile(): Body {
    const body = emptyBody();
    this.scanBody(body, false, 0);
    return body;
  }

  // ---- bodies ---------------------------------------------------------------------------

  /**
   * Reads the items of a body up to its closing brace (consumed) or the end of the text.
   * Returns the offset one past the closing brace, or undefined if there was none.
   */
  private scanBody(body: Body, braced: boolean, depth: number): number | undefined {
    const text = this.text;
    for (;;) {
      this.skipSpaceAndComments(true);
      if (this.pos >= text.length) return undefined;
      const c = text.charCodeAt(this.pos);
      if (c === CH_RBRACE) {
        this.pos++;
        if (braced) return this.pos;
        continue; // a stray brace at the top level
      }
      if (!isIdentStart(c)) {
        this.recoverToLineEnd();
        continue;
      }
      const start = this.pos;
      const name = this.readIdentifier();
      this.skipSpaceAndComments(false);
      const next = text.charCodeAt(this.pos);
      if (next === CH_EQ && text.charCodeAt(this.pos + 1) !== CH_EQ) {
        this.pos++;
        const afterEquals = this.pos;
        this.skipSpaceAndComments(false);
        const value = this.scanValue(Context.Body, 0);
        // Without a value (a syntax error), the attribute ends at its `=`.
        const end = value.end > value.start ? value.end : afterEquals;
        if (!body.attributes.has(name)) body.attributes.set(name, { start, end, value });
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        const d = text.charCodeAt(this.pos);
        if (d === CH_QUOTE) {
          const contentStart = this.pos + 1;
          const interpolated = this.skipQuoted();
          const closed = text.charCodeAt(this.pos - 1) === CH_QUOTE && this.pos - 1 >= contentStart;
          const raw = text.slice(contentStart, closed ? this.pos - 1 : this.pos);
          labels.push(interpolated ? raw : unescape(raw));
        } else if (isIdentStart(d)) {
          labels.push(this.readIdentifier());
        } else break;
        this.skipSpaceAndComments(false);
      }
      if (text.charCodeAt(this.pos) !== CH_LBRACE) {
        this.recoverToLineEnd();
        continue;
      }
      this.pos++;
      const block: Block = { type: name, labels, start, end: text.length, body: emptyBody() };
      pushTo(body.blocksByType, name, block);
      pushTo(body.blocksByKey, blockKey(name, labels), block);
      if (depth >= MAX_BLOCK_DEPTH) {
        this.skipBalanced(CH_RBRACE);
        block.end = this.pos;
        continue;
      }
      const close = this.scanBody(block.body, true, depth + 1);
      block.end = close ?? this.lastSignificantBefore(text.length);
      if (close === undefined) return undefined;
    }
  }

  /** Skips the rest of a line that could not be read, keeping brackets and strings whole. */
  private recoverToLineEnd(): void {
    const before = this.pos;
    this.scanExpression(Context.Body);
    if (this.pos === before) this.pos++; // always make progress (e.g. on a stray `]`)
  }

  // ---- values ---------------------------------------------------------------------------

  /** Reads a value that starts at `pos` and stops where `context` says it ends. */
  private scanValue(context: Context, depth: number): Value {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    let value: Value | undefined;
    if (depth < MAX_VALUE_DEPTH && c === CH_LBRACKET && !this.startsForExpression(start + 1)) {
      this.pos++;
      value = this.scanTuple(start, depth);
    } else if (depth < MAX_VALUE_DEPTH && c === CH_LBRACE && !this.startsForExpression(start + 1)) {
      this.pos++;
      value = this.scanObject(start, depth);
    } else if (c === CH_QUOTE) {
      const interpolated = this.skipQuoted();
      this.lastEnd = this.pos;
      value = { kind: interpolated ? "expression" : "literal", start, end: this.pos };
    } else if (c === CH_LT && this.isHeredocStart(start)) {
      const interpolated = this.skipHeredoc();
      value = { kind: interpolated ? "expression" : "literal", start, end: this.lastEnd };
    }
    if (value) {
      // Something after the literal (`[1, 2][0]`, `"a" == x`): the whole is an expression.
      this.skipSpaceAndComments(context === Context.Tuple);
      if (this.atTerminator(context)) return value;
      this.scanExpression(context);
      return { kind: "expression", start, end: Math.max(this.lastEnd, value.end) };
    }
    this.lastEnd = start;
    this.scanExpression(context);
    const end = Math.max(start, this.lastEnd);
    const literal = NUMBER_OR_KEYWORD.test(text.slice(start, end));
    return { kind: literal ? "literal" : "expression", start, end };
  }

  /** Reads tuple items after `[` up to and including `]`. */
  private scanTuple(start: number, depth: number): Value {
    const text = this.text;
    const items: Value[] = [];
    for (;;) {
      this.skipSpaceAndComments(true);
      if (this.pos >= text.length) break;
      const c = text.charCodeAt(this.pos);
      if (c === CH_RBRACKET) {
        this.pos++;
        break;
      }
      if (c === CH_COMMA) {
        this.pos++; // an empty item is a syntax error; skip it
        continue;
      }
      if (c === CH_RBRACE || c === CH_RPAREN) break; // unbalanced: leave it to the caller
      const before = this.pos;
      items.push(this.scanValue(Context.Tuple, depth + 1));
      if (this.pos === before) this.pos++;
    }
    this.lastEnd = this.pos;
    return { kind: "tuple", start, end: this.pos, items };
  }

  /** Reads object entries after `{` up to and including `}`. */
  private scanObject(start: number, depth: number): Value {
    const text = this.text;
    const entries = new Map<string, Entry>();
    for (;;) {
      this.skipSpaceAndComments(true);
      if (this.pos >= text.length) break;
      const c = text.charCodeAt(this.pos);
      if (c === CH_RBRACE) {
        this.pos++;
        break;
      }
      if (c === CH_COMMA) {
        this.pos++;
        continue;
      }
      if (c === CH_RBRACKET || c === CH_RPAREN) break;
      const keyStart = this.pos;
      const key = this.scanKey();
      const sep = text.charCodeAt(this.pos);
      if (sep !== CH_EQ && sep !== CH_COLON) {
        if (this.pos === keyStart) this.pos++;
        continue; // no value: a syntax error, skip what was read
      }
      this.pos++;
      this.skipSpaceAndComments(false);
      const value = this.scanValue(Context.Object, depth + 1);
      if (key !== undefined) entries.set(key, { start: keyStart, end: value.end, value });
    }
    this.lastEnd = this.pos;
    return { kind: "object", start, end: this.pos, entries };
  }

  /** Reads an object key, as hcl2json spells it in its JSON; stops at `=` or `:`. */
  private scanKey(): string | undefined {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    let key: string | undefined;
    if (c === CH_QUOTE) {
      const interpolated = this.skipQuoted();
      const closed = this.pos - 1 > start && text.charCodeAt(this.pos - 1) === CH_QUOTE;
      const raw = text.slice(start + 1, closed ? this.pos - 1 : this.pos);
      key = interpolated ? raw : unescape(raw);
      this.lastEnd = this.pos;
      this.skipSpaceAndComments(false);
      if (this.atKeySeparator()) return key;
    }
    // Any other key is kept as written: `(var.k)` becomes `${(var.k)}`, `a.b` stays `a.b`.
    this.pos = start;
    this.lastEnd = start;
    this.scanExpression(Context.Key);
    const raw = text.slice(start, Math.max(start, this.lastEnd));
    if (raw === "") return undefined;
    return raw.charCodeAt(0) === CH_LPAREN ? `\${${raw}}` : raw;
  }

  private atKeySeparator(): boolean {
    const c = this.text.charCodeAt(this.pos);
    if (c === CH_COLON) return true;
    if (c !== CH_EQ) return false;
    const d = this.text.charCodeAt(this.pos + 1);
    return d !== CH_EQ && d !== CH_GT;
  }

  /** True when `[` or `{` at `at - 1` opens a `for` expression. */
  private startsForExpression(at: number): boolean {
    const saved = this.pos;
    const savedEnd = this.lastEnd;
    this.pos = at;
    this.skipSpaceAndComments(true);
    const text = this.text;
    const p = this.pos;
    const isFor = text.startsWith("for", p) && !isIdentPart(text.charCodeAt(p + 3));
    this.pos = saved;
    this.lastEnd = savedEnd;
    return isFor;
  }

  /** True when `pos` is where a value in `context` ends (not consumed). */
  private atTerminator(context: Context): boolean {
    const text = this.text;
    if (this.pos >= text.length) return true;
    const c = text.charCodeAt(this.pos);
    if (c === CH_RBRACE || c === CH_RBRACKET || c === CH_RPAREN) return true;
    switch (context) {
      case Context.Body:
        return c === CH_LF;
      case Context.Tuple:
        return c === CH_COMMA;
      case Context.Object:
        return c === CH_COMMA || c === CH_LF;
      case Context.Key:
        return c === CH_COMMA || c === CH_LF || this.atKeySeparator();
    }
  }

  /**
   * Skips an expression from `pos` to where `context` says it ends at bracket depth 0.
   * Sets `lastEnd` to one past its last significant character.
   */
  private scanExpression(context: Context): void {
    const text = this.text;
    const length = text.length;
    const stack: number[] = [];
    // Newlines end values in bodies and objects, but not in tuples.
    const newlinesAreSpace = context === Context.Tuple;
    while (this.pos < length) {
      if (stack.length === 0) {
        this.skipSpaceAndComments(newlinesAreSpace);
        if (this.atTerminator(context)) return;
      } else {
        this.skipSpaceAndComments(true);
        if (this.pos >= length) return;
      }
      const c = text.charCodeAt(this.pos);
      if (c === CH_QUOTE) {
        this.skipQuoted();
        this.lastEnd = this.pos;
      } else if (c === CH_LT && this.isHeredocStart(this.pos)) {
        this.skipHeredoc();
      } else if (c === CH_LPAREN || c === CH_LBRACKET || c === CH_LBRACE) {
        stack.push(c === CH_LPAREN ? CH_RPAREN : c === CH_LBRACKET ? CH_RBRACKET : CH_RBRACE);
        this.pos++;
        this.lastEnd = this.pos;
      } else if (c === CH_RPAREN || c === CH_RBRACKET || c === CH_RBRACE) {
        // Only reached inside brackets (at depth 0 a closer is a terminator).
        // A mismatched closer still closes the innermost bracket, so that errors stay local.
        stack.pop();
        this.pos++;
        this.lastEnd = this.pos;
      } else {
        this.pos++;
        // Names and numbers carry no syntax of their own: take them in one go.
        while (this.pos < length && isWordChar(text.charCodeAt(this.pos))) this.pos++;
        this.lastEnd = this.pos;
      }
    }
  }

  /** Skips to just past the `close` character that balances an already consumed opener. */
  private skipBalanced(close: number): void {
    const text = this.text;
    const opener = close === CH_RBRACE ? CH_LBRACE : close === CH_RBRACKET ? CH_LBRACKET : CH_LPAREN;
    let depth = 1;
    while (this.pos < text.length) {
      this.skipSpaceAndComments(true);
      if (this.pos >= text.length) break;
      const c = text.charCodeAt(this.pos);
      if (c === CH_QUOTE) this.skipQuoted();
      else if (c === CH_LT && this.isHeredocStart(this.pos)) this.skipHeredoc();
      else {
        this.pos++;
        if (c === opener) depth++;
        else if (c === close && --depth === 0) break;
      }
    }
    this.lastEnd = this.pos;
  }

  // ---- strings, heredocs, comments -------------------------------------------------------

  /**
   * Skips a quoted template starting at `"`, with escapes and `${ }` / `%{ }` sequences
   * (which hold expressions with their own braces and strings). An unterminated string stops
   * at the end of its line. Returns true when it holds an interpolation or directive.
   */
  private skipQuoted(): boolean {
    const text = this.text;
    const length = text.length;
    let interpolated = false;
    this.pos++;
    while (this.pos < length) {
      const c = text.charCodeAt(this.pos);
      if (c === CH_QUOTE) {
        this.pos++;
        return interpolated;
      }
      if (c === CH_LF) return interpolated;
      if (c === CH_BACKSLASH) {
        this.pos += 2;
        continue;
      }
      if ((c === CH_DOLLAR || c === CH_PERCENT) && text.charCodeAt(this.pos + 1) === CH_LBRACE) {
        interpolated = true;
        this.pos += 2;
        this.skipBalanced(CH_RBRACE);
        continue;
      }
      if ((c === CH_DOLLAR || c === CH_PERCENT) && text.charCodeAt(this.pos + 1) === c && text.charCodeAt(this.pos + 2) === CH_LBRACE) {
        this.pos += 3; // `$${` and `%%{` are literal text
        continue;
      }
      this.pos++;
    }
    if (this.pos > length) this.pos = length;
    return interpolated;
  }

  /** True when `<` at `at` starts a heredoc: `<<ID` or `<<-ID`. */
  private isHeredocStart(at: number): boolean {
    const text = this.text;
    if (text.charCodeAt(at + 1) !== CH_LT) return false;
    const i = text.charCodeAt(at + 2) === CH_MINUS ? at + 3 : at + 2;
    return isIdentStart(text.charCodeAt(i));
  }

  /**
   * Skips a heredoc: its introducer, its content lines (never read as syntax) and the line
   * with its terminator (which may be indented). Leaves `pos` and `lastEnd` after the
   * terminator. Returns true when the content holds an interpolation or directive.
   */
  private skipHeredoc(): boolean {
    const text = this.text;
    const length = text.length;
    this.pos += 2;
    if (text.charCodeAt(this.pos) === CH_MINUS) this.pos++;
    const marker = this.readIdentifier();
    // The introducer must end its line; the content starts on the next one.
    let lineEnd = text.indexOf("\n", this.pos);
    this.lastEnd = this.pos;
    if (lineEnd < 0) {
      this.pos = length;
      return false;
    }
    let interpolated = false;
    let lineStart = lineEnd + 1;
    while (lineStart < length) {
      lineEnd = text.indexOf("\n", lineStart);
      if (lineEnd < 0) lineEnd = length;
      let a = lineStart;
      while (a < lineEnd && isInlineSpace(text.charCodeAt(a))) a++;
      let b = lineEnd;
      while (b > a && isInlineSpace(text.charCodeAt(b - 1))) b--;
      if (b - a === marker.length && text.startsWith(marker, a)) {
        this.pos = b;
        this.lastEnd = b;
        return interpolated;
      }
      if (!interpolated) {
        const line = text.slice(a, b);
        if (/(?<![$])\$\{|(?<![%])%\{/.test(line)) interpolated = true;
      }
      lineStart = lineEnd + 1;
    }
    // No terminator: the heredoc runs to the end of the text.
    this.pos = length;
    this.lastEnd = this.lastSignificantBefore(length);
    return interpolated;
  }

  /** Skips spaces, tabs, carriage returns and comments, and newlines when `newlines`. */
  private skipSpaceAndComments(newlines: boolean): void {
    const text = this.text;
    const length = text.length;
    while (this.pos < length) {
      const c = text.charCodeAt(this.pos);
      if (isInlineSpace(c) || (newlines && c === CH_LF)) {
        this.pos++;
      } else if (c === CH_HASH || (c === CH_SLASH && text.charCodeAt(this.pos + 1) === CH_SLASH)) {
        const lf = text.indexOf("\n", this.pos);
        this.pos = lf < 0 ? length : lf;
      } else if (c === CH_SLASH && text.charCodeAt(this.pos + 1) === CH_STAR) {
        const close = text.indexOf("*/", this.pos + 2);
        this.pos = close < 0 ? length : close + 2;
      } else {
        return;
      }
    }
  }

  private readIdentifier(): string {
    const text = this.text;
    const start = this.pos;
    while (this.pos < text.length && isIdentPart(text.charCodeAt(this.pos))) this.pos++;
    return text.slice(start, this.pos);
  }

  private lastSignificantBefore(end: number): number {
    let i = end;
    while (i > 0 && (isInlineSpace(this.text.charCodeAt(i - 1)) || this.text.charCodeAt(i - 1) === CH_LF)) i--;
    return i;
  }
}

/** Decodes the escapes of a quoted HCL string without interpolations. */
function unescape(raw: string): string {
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u":
      case "U": {
        const code = parseInt(e.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : e;
      }
      default:
        return e;
    }
  });
}
