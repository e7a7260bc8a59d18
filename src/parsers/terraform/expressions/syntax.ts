/** The syntax trees of expressions: what is parsed (and what is refused before it reaches the parser), and reading literals and traversal steps. */
import { type Resolved } from "../../../values/value.js";
import { type ExpressionAst } from "../hcl.js";
import { MAX_INTERPOLATIONS, MAX_NESTING, MAX_OPERATORS, MAX_SOURCE_LENGTH, MAX_VALUE_DEPTH, OPERATOR_CHARS } from "./guards.js";

export function hasExpression(s: string): boolean {
  return s.includes("${") || s.includes("%{");
}

export function collectExpressions(value: unknown, out: Set<string>, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) return;
  if (typeof value === "string") {
    if (hasExpression(value)) out.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectExpressions(item, out, depth + 1);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (hasExpression(key)) out.add(key);
      collectExpressions(item, out, depth + 1);
    }
  }
}

/** `${var.name}`, `${aws_instance.web.id}`, `${module.m.out[0].name}`: a whole template that is one plain reference. */
const SIMPLE_TRAVERSAL = /^\$\{([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])+)\}$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+)\]/g;
/** Names HCL reads as something other than a variable at the start of an expression. */
const NOT_A_ROOT = new Set(["true", "false", "null", "for", "if", "in"]);

/**
 * The syntax tree the HCL parser gives for a template that is one plain reference, made
 * without calling the parser: most expressions of a configuration are such references, and
 * a parser call costs far more than this. Byte ranges are left out (only object keys read
 * them). Anything else returns undefined and goes to the parser. A test compares these
 * trees with the parser's on many references.
 */
export function simpleTraversalTree(source: string): ExpressionAst | undefined {
  const m = SIMPLE_TRAVERSAL.exec(source);
  if (!m || NOT_A_ROOT.has(m[1]!)) return undefined;
  const traversal = [{ type: "nameTraversal", segment: m[1]! }];
  for (const s of m[2]!.matchAll(SEGMENT)) {
    traversal.push(s[1] !== undefined ? { type: "nameTraversal", segment: s[1] } : { type: "indexTraversal", segment: s[2]! });
  }
  const accessor = source.slice(2, -1);
  return {
    type: "template",
    meta: { value: `<<EOT\n${source}\nEOT` },
    children: [
      { type: "scopeTraversal", meta: { fullAccessor: accessor, traversal, value: accessor }, children: [] },
      { type: "literalValue", meta: { type: "string", value: "\n" }, children: [] },
    ],
  } as unknown as ExpressionAst;
}

/** A heredoc whose body is exactly the template (plus the newline the heredoc adds). */
export function heredoc(source: string): string {
  const lines = new Set(source.split("\n").map((l) => l.trim()));
  let marker = "PARAPET_EOT";
  for (let i = 0; lines.has(marker); i++) marker = `PARAPET_EOT${i}`;
  return `<<${marker}\n${source}\n${marker}\n`;
}

export function parserMessage(error: unknown, wrapped: string): string {
  let text = error instanceof Error ? error.message : String(error);
  const prefix = `getExpressionAst errors on input string '${wrapped}': `;
  if (text.startsWith(prefix)) text = text.slice(prefix.length);
  return text.replace(/^expression\.tf:\d+,\d+-\d+: /, "").trim();
}

/**
 * Scans a template body the way HCL's lexer nests it (literal text, `${ }` / `%{ }`, quoted
 * strings, brackets) and checks the nesting, operator and interpolation counts against the
 * limits the parser handles quickly and safely.
 */
export function withinParserLimits(source: string): boolean {
  if (source.length > MAX_SOURCE_LENGTH) return false;
  const stack: string[] = [];
  let operators = 0;
  let interpolations = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const top = stack[stack.length - 1];
    if (top === undefined || top === '"') {
      if (top === '"' && c === "\\") {
        i++;
        continue;
      }
      if (top === '"' && c === '"') {
        stack.pop();
        continue;
      }
      if ((c === "$" || c === "%") && source[i + 1] === c && source[i + 2] === "{") {
        i += 2;
        continue;
      }
      if ((c === "$" || c === "%") && source[i + 1] === "{") {
        stack.push("${");
        interpolations++;
        i++;
      }
    } else if (c === '"') stack.push('"');
    else if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c === ")" || c === "]" || c === "}") stack.pop();
    else if (OPERATOR_CHARS.includes(c) && !OPERATOR_CHARS.includes(source[i - 1] ?? "")) operators++;
    if (stack.length > MAX_NESTING || operators > MAX_OPERATORS || interpolations > MAX_INTERPOLATIONS) return false;
  }
  return true;
}

export interface SyntaxNode {
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  meta?: any;
  children?: Node[];
  range?: { start: { byte: number }; end: { byte: number } };
}
export type Node = SyntaxNode;

export type Mode = "quoted" | "heredoc";

export function isDirective(node: Node): boolean {
  if (node.type === "templateJoin") return true;
  return node.type === "conditional" && String(node.meta?.value ?? "").startsWith("%{");
}

export function literal(type: string, text: string, mode: Mode): Resolved {
  switch (type) {
    case "number":
      return Number(text);
    case "bool":
      return text === "true";
    case "string":
      return decodeLiteral(text, mode);
    default:
      return text === "null" ? null : text;
  }
}

/** Decodes the source text of a literal template part. */
export function decodeLiteral(raw: string, mode: Mode): string {
  if (!raw.includes("\\") && !raw.includes("{")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c === "$" || c === "%") && raw[i + 1] === c && raw[i + 2] === "{") {
      out += c + "{";
      i += 2;
    } else if (c === "\\" && mode === "quoted" && i + 1 < raw.length) {
      const n = raw[++i]!;
      if (n === "n") out += "\n";
      else if (n === "r") out += "\r";
      else if (n === "t") out += "\t";
      else if (n === '"' || n === "\\") out += n;
      else if ((n === "u" || n === "U") && /^[0-9a-fA-F]+$/.test(raw.slice(i + 1, i + 1 + (n === "u" ? 4 : 8)))) {
        const len = n === "u" ? 4 : 8;
        const code = parseInt(raw.slice(i + 1, i + 1 + len), 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
        i += len;
      } else out += "\\" + n;
    } else out += c;
  }
  return out;
}

export function segmentKey(part: { type: string; segment: string }): string | number {
  const s = part.segment;
  if (part.type === "nameTraversal") return s;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1);
  const n = Number(s);
  return s.trim() !== "" && Number.isFinite(n) ? n : s;
}
