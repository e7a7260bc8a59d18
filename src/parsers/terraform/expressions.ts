/**
 * Evaluates Terraform expressions into three-valued values (DESIGN.md, "Values are
 * three-valued").
 *
 * `@cdktf/hcl2json` hands every expression over as a string: `"${var.cidr}"`,
 * `"web-${var.env}"`, `"%{if var.x}a%{endif}"`. Those strings are template *bodies*: HCL's
 * string escapes (`\"`, `\n`) are already decoded, template escapes (`$${`, `%%{`) are kept.
 * We hand each body to `getExpressionAst` wrapped in a heredoc (which decodes nothing but the
 * template escapes) and walk the syntax tree it returns.
 *
 * What the tree looks like (found by experiment, version 0.21):
 * * literal strings keep their *source* text: `$${`, and inside quoted strings `\"`, `\n`,
 *   `\u00e9`, are not decoded. We decode them, knowing whether the template is quoted or a
 *   heredoc from its `meta.value`.
 * * index keys of static traversals come as `segment` text: `0`, `1.5`, or `"k"` (quoted,
 *   with the string's value inside the quotes).
 * * parentheses, object keys and the splat's anonymous symbol are nodes with type `""`.
 *   A bare object key is a `""` node without children: its name is read through its byte range.
 * * `range` of composite nodes is not their extent (it is often the first child's range);
 *   only leaf ranges are usable. `meta.value` holds the full source of every node, which makes
 *   the tree quadratic in the expression's nesting — and a few thousand levels of nesting
 *   crash the Go runtime and the whole process. {@link ExpressionCache.prepare} therefore
 *   refuses expressions that are too long or too deep before they reach the parser.
 *
 * Evaluation never throws. Terraform errors (missing attribute, index out of range, a null in
 * a template, a wrong argument) stop the expression; `try` and `can` observe them; anything
 * else that reaches the top becomes an {@link Unknown} with a reason quoting the expression.
 *
 * A reference the scope answers with ABSENT reads as null (an unset optional attribute or a
 * null variable), except inside `try`/`can` when the traversal goes past the referenced object
 * (`var.settings.missing`): there it is the error Terraform would raise.
 */
import {
  ABSENT,
  combine,
  emptyMap,
  firstUnknown,
  attributeOfUnknown,
  mapKnown,
  refsIn,
  hasKey,
  isMap,
  possibleValues,
  getPath,
  sameValue,
  Unknown,
  type Resolved,
  type ResolvedMap,
  lookupTable,
  partlyKnownText,
  textParts,
  type TextPart,
} from "../../values/value.js";
import { hcl2json, type ExpressionAst } from "./hcl.js";
import { checkDeadline } from "../../limits/budget.js";
import { LimitExceeded } from "../../limits/limits.js";
import { fixedCap } from "../../limits/evaluation.js";
import { regexRisk } from "../../source/regex-safety.js";

/** Resolves references that are not local to the expression (var.*, local.*, resource and data references, count.index, each.key/value, path.*, module.*, dynamic block iterators). parts = the whole traversal: names as strings, index keys as strings or numbers, e.g. var.cidrs[0] → ["var","cidrs",0]; aws_security_group.web.id → ["aws_security_group","web","id"]. Returns the value of the whole traversal (the scope applies the trailing attributes/indexes itself) or an Unknown with a reason naming the reference ("var.admin_cidr has no value"). */
export interface ExpressionScope {
  reference(parts: (string | number)[]): Resolved;
  /**
   * The file a `file()`, `filebase64()` or `templatefile()` call names (relative to the root
   * module's folder, as Terraform reads it), or an Unknown that says why it is not read
   * (missing, outside the scanned folder, over the size limit). Without it, files are not read.
   */
  readFile?(path: string): ConfigurationFile | Unknown;
}

/** A file of the configuration that an expression reads. */
export interface ConfigurationFile {
  bytes: Buffer;
  /** The path as the user sees it (relative to the working directory). */
  shown: string;
}

/** The reason of a value whose expression is past one of the limits below (a limit finding names it: see src/limits/evaluation.ts). */
export const TOO_COMPLEX = `expression too complex to evaluate ${fixedCap("expression size")}`;

/** Limits checked before an expression reaches the parser (see the module comment). */
const MAX_SOURCE_LENGTH = 100_000;
/** Templates parsed per call into the HCL parser. */
const BATCH_SIZE = 256;
const MAX_NESTING = 32;
const MAX_OPERATORS = 150;
const OPERATOR_CHARS = "+-*/%<>=!&|?:";
const MAX_INTERPOLATIONS = 500;

/** Limits of one evaluation. */
const MAX_STEPS = 200_000;
const MAX_EVAL_DEPTH = 150;
const MAX_STRING_LENGTH = 1_000_000;
const MAX_VALUE_DEPTH = 200;

const FILENAME = "expression.tf";

interface CacheEntry {
  tree: ExpressionAst | Error;
  /** The heredoc that was parsed, as UTF-8 (tree ranges are byte offsets into it). */
  bytes?: Buffer;
}

/** Caches syntax trees; the evaluator is synchronous, so trees are fetched up front. */
export class ExpressionCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Template files met while evaluating, not parsed yet (see {@link preparePending}). */
  private readonly pending = new Set<string>();
  /** Parses run one after another, also across overlapping `prepare` calls. */
  private queue: Promise<void> = Promise.resolve();

  /** Collects every string inside a hcl2json value that holds an expression (contains "${" or "%{") and parses each distinct one once with getExpressionAst (calls are serialised in one WASM runtime; do them one after another). */
  prepare(value: unknown): Promise<void> {
    const found = new Set<string>();
    collectExpressions(value, found, 0);
    for (const s of found) if (this.entries.has(s)) found.delete(s);
    if (found.size === 0) return this.queue;
    const run = async (): Promise<void> => {
      let getExpressionAst: Awaited<ReturnType<typeof hcl2json>>["getExpressionAst"];
      try {
        ({ getExpressionAst } = await hcl2json());
      } catch (error) {
        const message = `the HCL parser could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
        for (const source of found) if (!this.entries.has(source)) this.entries.set(source, { tree: new Error(message) });
        return;
      }
      const todo: string[] = [];
      for (const source of found) {
        if (this.entries.has(source)) continue;
        const traversal = simpleTraversalTree(source);
        if (traversal) this.entries.set(source, { tree: traversal });
        else if (withinParserLimits(source)) todo.push(source);
        else this.entries.set(source, { tree: new Error(TOO_COMPLEX) });
      }
      // A call into the parser costs more than a small expression's parse: expressions go
      // in batches, as the items of one tuple; a batch the parser rejects goes one by one.
      for (let i = 0; i < todo.length; i += BATCH_SIZE) {
        const batch = todo.slice(i, i + BATCH_SIZE);
        if (batch.length > 1 && (await this.parseBatch(batch, getExpressionAst))) continue;
        for (const source of batch) {
          const wrapped = heredoc(source);
          try {
            const tree = await getExpressionAst(FILENAME, wrapped);
            this.entries.set(source, tree ? { tree, bytes: Buffer.from(wrapped, "utf8") } : { tree: new Error("empty expression") });
          } catch (error) {
            this.entries.set(source, { tree: new Error(parserMessage(error, wrapped)) });
          }
        }
      }
    };
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  /**
   * Parses several templates in one call, as the heredoc items of a tuple: each item's tree
   * is the tree the template alone gives, with byte ranges into the whole input (which is
   * kept as every item's bytes). False when the parser rejects the batch.
   */
  private async parseBatch(batch: string[], getExpressionAst: (file: string, text: string) => Promise<ExpressionAst | null | undefined>): Promise<boolean> {
    const wrapped = `[\n${batch.map((source) => `${heredoc(source)},\n`).join("")}]\n`;
    let tree: ExpressionAst | null | undefined;
    try {
      tree = await getExpressionAst(FILENAME, wrapped);
    } catch {
      return false;
    }
    const items = tree?.type === "tuple" ? tree.children : undefined;
    if (!items || items.length !== batch.length) return false;
    const bytes = Buffer.from(wrapped, "utf8");
    batch.forEach((source, i) => this.entries.set(source, { tree: items[i]!, bytes }));
    return true;
  }

  get(source: string): ExpressionAst | Error | undefined {
    return this.entries.get(source)?.tree;
  }

  /** The tree of a template file's text; when it is not parsed yet, it is noted for {@link preparePending}. */
  template(text: string): ExpressionAst | Error | undefined {
    const tree = this.get(text);
    if (tree === undefined) this.pending.add(text);
    return tree;
  }

  /** Parses the template files met since the last call; false when there were none. */
  async preparePending(): Promise<boolean> {
    if (this.pending.size === 0) return false;
    const texts = [...this.pending];
    this.pending.clear();
    await this.prepare(texts);
    return true;
  }

  /** @internal The parsed heredoc's bytes, for reading leaf ranges. */
  sourceBytes(source: string): Buffer | undefined {
    return this.entries.get(source)?.bytes;
  }
}

/** Evaluates a hcl2json value: literals stay as they are (objects get null prototypes via emptyMap), strings with expressions are evaluated, lists/maps recursively. Never throws: anything that cannot be evaluated becomes an Unknown with a reason that quotes the expression. */
export function evaluateValue(value: unknown, scope: ExpressionScope, cache: ExpressionCache): Resolved {
  try {
    return new Evaluator(scope, cache).value(value, 0);
  } catch (error) {
    return new Unknown(error instanceof RangeError ? TOO_COMPLEX : `cannot evaluate value: ${String(error)}`);
  }
}

/**
 * A template's text rendered with `vars` as templatefile() renders a file: the
 * `template_file` data source, whose `template` argument holds the text. Never throws.
 */
export function renderTemplateText(text: string, shown: string, vars: Resolved, scope: ExpressionScope, cache: ExpressionCache): Resolved {
  try {
    return new Evaluator(scope, cache).render(text, shown, vars);
  } catch (error) {
    if (error instanceof EvalError) return new Unknown(error.message);
    return new Unknown(error instanceof RangeError ? TOO_COMPLEX : `cannot render ${shown}: ${String(error)}`);
  }
}

/**
 * Evaluates one node of a prepared expression's syntax tree in `scope`: a constant inside a
 * type constraint (`optional(string, "x")`) or a validation condition. Never throws.
 */
export function evaluateNode(source: string, node: SyntaxNode, scope: ExpressionScope, cache: ExpressionCache): Resolved {
  try {
    return new Evaluator(scope, cache).node(source, node);
  } catch (error) {
    return new Unknown(error instanceof RangeError ? TOO_COMPLEX : `cannot evaluate value: ${String(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Preparing

function hasExpression(s: string): boolean {
  return s.includes("${") || s.includes("%{");
}

function collectExpressions(value: unknown, out: Set<string>, depth: number): void {
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
function heredoc(source: string): string {
  const lines = new Set(source.split("\n").map((l) => l.trim()));
  let marker = "PARAPET_EOT";
  for (let i = 0; lines.has(marker); i++) marker = `PARAPET_EOT${i}`;
  return `<<${marker}\n${source}\n${marker}\n`;
}

function parserMessage(error: unknown, wrapped: string): string {
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
function withinParserLimits(source: string): boolean {
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

// ---------------------------------------------------------------------------------------------
// Evaluating

/** The syntax tree as it really comes (types beyond the declared union: "", "templateJoin"). */
export interface SyntaxNode {
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  meta?: any;
  children?: Node[];
  range?: { start: { byte: number }; end: { byte: number } };
}
type Node = SyntaxNode;

/** An error Terraform would raise while evaluating (observable by `try` and `can`). */
class EvalError extends Error {}
/** The evaluation budget or depth is exhausted. */
class TooComplex extends Error {}
/** A function needs a value that is unknown: the call's result is that unknown. */
class NeedUnknown extends Error {
  constructor(readonly unknown: Unknown) {
    super(unknown.reason);
  }
}

type Mode = "quoted" | "heredoc";
interface Binding {
  name: string;
  value: Resolved;
  parent: Env;
}
type Env = Binding | undefined;
/** The name under which a splat binds its current element (cannot clash with identifiers). */
const ANON = "\u0000splat";

function lookup(env: Env, name: string): { value: Resolved } | undefined {
  for (let b = env; b; b = b.parent) if (b.name === name) return { value: b.value };
  return undefined;
}

function bind(env: Env, name: string, value: Resolved): Env {
  return { name, value, parent: env };
}

function quote(source: string): string {
  const text = JSON.stringify(source);
  return text.length > 100 ? text.slice(0, 96) + '..."' : text;
}

class Evaluator {
  private steps = 0;
  private depth = 0;
  /** > 0 while evaluating an argument of `try` or `can`. */
  private tryDepth = 0;
  private bytes: Buffer | undefined;

  constructor(
    private readonly scope: ExpressionScope,
    private readonly cache: ExpressionCache,
    /** True while rendering a template file (which may not call templatefile() again). */
    private readonly rendering = false,
  ) {}

  value(raw: unknown, depth: number): Resolved {
    checkDeadline();
    if (depth > MAX_VALUE_DEPTH) return new Unknown(TOO_COMPLEX);
    if (raw === null || raw === undefined) return null;
    if (typeof raw === "string") return hasExpression(raw) ? this.expression(raw) : raw;
    if (typeof raw === "number" || typeof raw === "boolean") return raw;
    if (raw === ABSENT || raw instanceof Unknown) return raw as Resolved;
    if (Array.isArray(raw)) return raw.map((item) => this.value(item, depth + 1));
    if (typeof raw !== "object") return String(raw);
    const out = emptyMap();
    for (const [rawKey, item] of Object.entries(raw)) {
      let key = rawKey;
      if (hasExpression(rawKey)) {
        const k = this.expression(rawKey);
        if (k instanceof Unknown) return new Unknown(`the object key ${quote(rawKey)} is unknown: ${k.reason}`);
        if (typeof k === "string" || typeof k === "number" || typeof k === "boolean") key = scalarText(k);
        else return new Unknown(`the object key ${quote(rawKey)} is not a string`);
      }
      out[key] = this.value(item, depth + 1);
    }
    return out;
  }

  /** One expression string from hcl2json. */
  expression(source: string): Resolved {
    const tree = this.cache.get(source);
    if (tree === undefined) return new Unknown(`expression ${quote(source)} was not prepared for evaluation`);
    if (tree instanceof Error) {
      return new Unknown(tree.message === TOO_COMPLEX ? TOO_COMPLEX : `cannot parse expression: ${tree.message} (in ${quote(source)})`);
    }
    return this.run(source, () => this.topTemplate(tree as unknown as Node));
  }

  /** One node of the tree of a prepared expression (see {@link evaluateNode}). */
  node(source: string, node: Node): Resolved {
    return this.run(source, () => this.eval(node, undefined, "heredoc"));
  }

  /** The text of a template file, with `scope` answering its variables. */
  renderTemplate(text: string, tree: ExpressionAst, label: string): Resolved {
    return this.run(text, () => this.topTemplate(tree as unknown as Node), label);
  }

  private run(source: string, evaluate: () => Resolved, label = quote(source)): Resolved {
    this.steps = 0;
    this.depth = 0;
    this.tryDepth = 0;
    this.bytes = this.cache.sourceBytes(source);
    try {
      return evaluate();
    } catch (error) {
      if (error instanceof LimitExceeded) throw error;
      if (error instanceof TooComplex || error instanceof RangeError) return new Unknown(TOO_COMPLEX);
      if (error instanceof NeedUnknown) return error.unknown;
      const message = error instanceof Error ? error.message : String(error);
      return new Unknown(`cannot evaluate ${label}: ${message}`);
    }
  }

  private step(n = 1): void {
    checkDeadline();
    this.steps += n;
    if (this.steps > MAX_STEPS) throw new TooComplex(TOO_COMPLEX);
  }

  /** The heredoc around a hcl2json string: a single interpolation keeps its value's type. */
  private topTemplate(node: Node): Resolved {
    const children = [...(node.children ?? [])];
    const last = children[children.length - 1];
    if (last && last.type === "literalValue" && typeof last.meta?.value === "string" && last.meta.value.endsWith("\n")) {
      children[children.length - 1] = { ...last, meta: { ...last.meta, value: last.meta.value.slice(0, -1) } };
    }
    const isText = (c: Node): boolean => c.type === "literalValue" && c.meta?.type === "string";
    const parts = children.filter((c) => !(isText(c) && c.meta?.value === ""));
    if (parts.length === 1 && !isText(parts[0]!) && !isDirective(parts[0]!)) return this.eval(parts[0]!, undefined, "heredoc");
    if (node.type === "templateWrap" && children.length === 1) return this.eval(children[0]!, undefined, "heredoc");
    return this.template(children, undefined, "heredoc");
  }

  private eval(node: Node, env: Env, mode: Mode): Resolved {
    this.step();
    if (++this.depth > MAX_EVAL_DEPTH) throw new TooComplex(TOO_COMPLEX);
    try {
      return this.evalNode(node, env, mode);
    } finally {
      this.depth--;
    }
  }

  private evalNode(node: Node, env: Env, mode: Mode): Resolved {
    const meta = node.meta ?? {};
    const children = node.children ?? [];
    switch (node.type) {
      case "literalValue":
        return literal(meta.type, String(meta.value ?? ""), mode);
      case "template": {
        const text = String(meta.value ?? "");
        const inner: Mode = text.startsWith('"') ? "quoted" : text.startsWith("<<") ? "heredoc" : mode;
        return this.template(children, env, inner);
      }
      case "templateWrap":
        return children[0] ? this.eval(children[0], env, mode) : "";
      case "templateJoin":
        return children[0] ? this.eval(children[0], env, mode) : "";
      case "tuple":
        return children.map((c) => this.eval(c, env, mode));
      case "object":
        return this.object(children, env, mode);
      case "scopeTraversal":
        return this.scopeTraversal(meta.traversal ?? [], String(meta.fullAccessor ?? meta.value ?? ""), env);
      case "relativeTraversal": {
        let v = this.eval(children[0]!, env, mode);
        for (const part of meta.traversal ?? []) v = this.traverse(v, segmentKey(part), part.type === "nameTraversal");
        return v;
      }
      case "index": {
        const collection = this.eval(children[0]!, env, mode);
        const key = this.eval(children[1]!, env, mode);
        return combineSafe([key], ([k]) => this.traverse(collection, indexKey(k!), false));
      }
      case "splat":
        return this.splat(children, env, mode);
      case "conditional":
        return this.conditional(children, String(meta.conditionExpression ?? ""), env, mode);
      case "unaryOp":
        return this.unary(String(meta.operator), this.eval(children[0]!, env, mode));
      case "binaryOp":
        return this.binary(String(meta.operator), this.eval(children[0]!, env, mode), this.eval(children[1]!, env, mode));
      case "function":
        return this.call(node, env, mode);
      case "for":
        return this.forExpression(node, env, mode);
      case "":
        if (children.length > 0) return this.eval(children[0]!, env, mode);
        {
          const anon = lookup(env, ANON);
          if (anon) return anon.value;
        }
        throw new EvalError("unexpected syntax");
      default:
        throw new EvalError(`unsupported syntax (${node.type})`);
    }
  }

  private template(children: Node[], env: Env, mode: Mode): Resolved {
    const parts = children.map((c) => (c.type === "literalValue" && c.meta?.type === "string" ? this.templateLiteral(c, mode) : this.eval(c, env, mode)));
    const result = combineSafe(parts, (known) => {
      const text = known.map(templateText).join("");
      if (text.length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
      return text;
    });
    // A partly unknown template keeps its parts in order (see concatenate in values).
    return result instanceof Unknown && !result.possible ? partlyKnownText(result, parts, textParts(parts, "")) : result;
  }

  /**
   * A literal part of a template, decoded, without the white space that a strip marker next
   * to it removes (`${x ~}` or `%{ if c ~}` before it, `${~ x}` or `%{~ endif }` after it).
   * The markers are read in the source bytes around the literal's range.
   */
  private templateLiteral(node: Node, mode: Mode): string {
    let text = decodeLiteral(String(node.meta?.value ?? ""), mode);
    const range = node.range;
    if (!this.bytes || !range) return text;
    const start = range.start.byte;
    const end = range.end.byte;
    if (start >= 2 && this.bytes.toString("utf8", start - 2, start) === "~}") text = text.replace(/^\s+/, "");
    const after = this.bytes.toString("utf8", end, end + 3);
    if (after === "${~" || after === "%{~") text = text.replace(/\s+$/, "");
    return text;
  }

  private object(children: Node[], env: Env, mode: Mode): Resolved {
    const out = emptyMap();
    let unknownKey: Unknown | undefined;
    for (let i = 0; i + 1 < children.length; i += 2) {
      const keyNode = children[i]!;
      const value = this.eval(children[i + 1]!, env, mode);
      let key: Resolved;
      if (keyNode.type === "" && (keyNode.children ?? []).length === 0) key = this.leafText(keyNode);
      else key = this.eval(keyNode, env, mode);
      if (key instanceof Unknown) {
        unknownKey ??= key;
        continue;
      }
      if (key === null || key === ABSENT) throw new EvalError("an object key is null");
      if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean") throw new EvalError("an object key is not a string");
      const name = scalarText(key);
      if (hasKey(out, name)) throw new EvalError(`duplicate object key "${name}"`);
      out[name] = value;
    }
    if (unknownKey) return new Unknown(`an object key is unknown: ${unknownKey.reason}`);
    return out;
  }

  private leafText(node: Node): string {
    if (!this.bytes || !node.range) throw new EvalError("cannot read an object key");
    return this.bytes.subarray(node.range.start.byte, node.range.end.byte).toString("utf8");
  }

  private scopeTraversal(traversal: { type: string; segment: string }[], accessor: string, env: Env): Resolved {
    const root = traversal[0];
    if (!root) throw new EvalError("empty reference");
    const local = lookup(env, root.segment);
    if (local) {
      let v = local.value;
      for (const part of traversal.slice(1)) v = this.traverse(v, segmentKey(part), part.type === "nameTraversal");
      return v;
    }
    const keys = traversal.map(segmentKey);
    const v = this.scope.reference(keys);
    if (v === ABSENT) {
      if (this.tryDepth > 0 && keys.length > referenceLength(keys)) throw new EvalError(`${accessor} does not exist`);
      return null;
    }
    return v;
  }

  /** One attribute or index step on a value (`.name`, `[0]`, `["k"]`). */
  private traverse(v: Resolved, key: string | number, byName: boolean): Resolved {
    this.step();
    if (v instanceof Unknown) {
      if (!v.possible) return byName ? attributeOfUnknown(v, key) : new Unknown(v.reason);
      return this.overPossible(v, (p) => this.traverse(p, key, byName));
    }
    if (v === null || v === ABSENT) throw new EvalError(`cannot read ${describeKey(key, byName)} of a null value`);
    if (Array.isArray(v)) {
      if (byName && typeof key === "string" && !/^\d+$/.test(key)) throw new EvalError(`a list has no attribute "${key}"`);
      const i = typeof key === "number" ? key : Number(key);
      if (!Number.isInteger(i)) throw new EvalError(`invalid list index ${JSON.stringify(key)}`);
      if (i < 0 || i >= v.length) throw new EvalError(`index ${i} is out of range for a list of ${v.length} elements`);
      return v[i]!;
    }
    if (isMap(v)) {
      const name = String(key);
      if (!hasKey(v, name)) throw new EvalError(byName ? `there is no attribute "${name}"` : `there is no element with the key "${name}"`);
      return v[name]!;
    }
    throw new EvalError(`cannot read ${describeKey(key, byName)} of a ${typeName(v)}`);
  }

  /** Applies `fn` to each possible value; branches that fail become plain unknowns. */
  private overPossible(u: Unknown, fn: (p: Resolved) => Resolved): Resolved {
    const results = (u.possible ?? []).map((p) => {
      if (p instanceof Unknown) return p;
      try {
        return fn(p === ABSENT ? null : p);
      } catch (error) {
        if (error instanceof EvalError) return new Unknown(error.message);
        if (error instanceof NeedUnknown) return error.unknown;
        throw error;
      }
    });
    return possibleValues(results, u.reason);
  }

  private splat(children: Node[], env: Env, mode: Mode): Resolved {
    const source = this.eval(children[0]!, env, mode);
    const each = children[1];
    const apply = (item: Resolved): Resolved => {
      if (!each || (each.type === "" && (each.children ?? []).length === 0)) return item;
      return this.eval(each, bind(env, ANON, item), mode);
    };
    const over = (v: Resolved): Resolved => {
      if (v === null || v === ABSENT) return [];
      if (Array.isArray(v)) {
        this.step(v.length);
        return v.map(apply);
      }
      return [apply(v)];
    };
    if (source instanceof Unknown) return source.possible ? this.overPossible(source, over) : new Unknown(source.reason);
    return over(source);
  }

  private conditional(children: Node[], conditionSource: string, env: Env, mode: Mode): Resolved {
    const condition = toBool(this.eval(children[0]!, env, mode), "the condition");
    const branch = (which: boolean): Resolved => this.eval(children[which ? 1 : 2]!, env, mode);
    if (typeof condition === "boolean") return branch(condition);
    const options: boolean[] = [];
    for (const p of condition.possible ?? [true, false]) {
      if (p === true || p === "true") options.push(true);
      else if (p === false || p === "false") options.push(false);
      else options.push(true, false);
    }
    const which = [...new Set(options.length > 0 ? options : [true, false])];
    const results = which.map((w) => {
      try {
        return branch(w);
      } catch (error) {
        if (error instanceof EvalError) return new Unknown(error.message);
        if (error instanceof NeedUnknown) return error.unknown;
        throw error;
      }
    });
    return possibleValues(results, `the condition ${quote(conditionSource)} cannot be decided: ${condition.reason}`);
  }

  private unary(op: string, v: Resolved): Resolved {
    return combineSafe([v], ([x]) => {
      if (op === "logicalNot") {
        const b = toBool(x!, "the operand of !");
        return b instanceof Unknown ? b : !b;
      }
      if (op === "negate") return -toNumber(x!, "the operand of -");
      throw new EvalError(`unsupported operator ${op}`);
    });
  }

  private binary(op: string, left: Resolved, right: Resolved): Resolved {
    if (op === "logicalAnd" || op === "logicalOr") {
      const decisive = op === "logicalOr";
      const l = left instanceof Unknown ? left : toBool(left, `the operands of ${decisive ? "||" : "&&"}`);
      const r = right instanceof Unknown ? right : toBool(right, `the operands of ${decisive ? "||" : "&&"}`);
      if (l === decisive || r === decisive) return decisive;
      return combineSafe([l, r], ([a, b]) => {
        const x = toBool(a!, "an operand");
        const y = toBool(b!, "an operand");
        if (x instanceof Unknown) return x;
        if (y instanceof Unknown) return y;
        return decisive ? x || y : x && y;
      });
    }
    return combineSafe([left, right], ([a, b]) => {
      const x = a === ABSENT ? null : a!;
      const y = b === ABSENT ? null : b!;
      switch (op) {
        case "equal":
        case "notEqual": {
          const u = firstUnknown(x) ?? firstUnknown(y);
          // A list or object is never null, whatever its parts are (`var.rules != null`).
          if (u && !(x instanceof Unknown) && !(y instanceof Unknown) && (x === null) !== (y === null)) return op === "notEqual";
          if (u) return new Unknown(u.reason);
          const same = sameValue(x, y);
          return op === "equal" ? same : !same;
        }
        case "add":
          return tidy(toNumber(x, "the operands of +") + toNumber(y, "the operands of +"));
        case "subtract":
          return tidy(toNumber(x, "the operands of -") - toNumber(y, "the operands of -"));
        case "multiply":
          return tidy(toNumber(x, "the operands of *") * toNumber(y, "the operands of *"));
        case "divide": {
          const d = toNumber(y, "the operands of /");
          if (d === 0) throw new EvalError("division by zero");
          return tidy(toNumber(x, "the operands of /") / d);
        }
        case "modulo": {
          const d = toNumber(y, "the operands of %");
          if (d === 0) throw new EvalError("modulo by zero");
          return tidy(toNumber(x, "the operands of %") % d);
        }
        case "lessThan":
          return toNumber(x, "the operands of <") < toNumber(y, "the operands of <");
        case "lessThanOrEqual":
          return toNumber(x, "the operands of <=") <= toNumber(y, "the operands of <=");
        case "greaterThan":
          return toNumber(x, "the operands of >") > toNumber(y, "the operands of >");
        case "greaterThanOrEqual":
          return toNumber(x, "the operands of >=") >= toNumber(y, "the operands of >=");
        default:
          throw new EvalError(`unsupported operator ${op}`);
      }
    });
  }

  private forExpression(node: Node, env: Env, mode: Mode): Resolved {
    const meta = node.meta ?? {};
    const children = node.children ?? [];
    const open = String(meta.openRangeValue ?? "");
    const inTemplate = open.startsWith("%{");
    const objectForm = !inTemplate && open.trim() === "{";
    let i = 0;
    const collectionNode = children[i++]!;
    const keyNode = objectForm && meta.keyExpression !== undefined ? children[i++] : undefined;
    const valueNode = children[i++]!;
    const conditionNode = meta.conditionalExpression ? children[i++] : undefined;
    const keyVar = String(meta.keyVar ?? "");
    const valVar = String(meta.valVar ?? "");
    const grouped = meta.groupedValue === true;

    const run = (collection: Resolved): Resolved => {
      let pairs: [Resolved, Resolved][];
      if (Array.isArray(collection)) pairs = collection.map((v, index) => [index, v]);
      else if (isMap(collection)) pairs = Object.keys(collection).sort(compareText).map((k) => [k, collection[k]!]);
      else if (collection === null || collection === ABSENT) throw new EvalError("cannot iterate over a null value");
      else throw new EvalError(`cannot iterate over a ${typeName(collection)}`);
      this.step(pairs.length);
      const listOut: Resolved[] = [];
      const objectOut = emptyMap();
      const groups = new Map<string, Resolved[]>();
      for (const [k, v] of pairs) {
        let scope = env;
        if (keyVar) scope = bind(scope, keyVar, k);
        scope = bind(scope, valVar, v);
        if (conditionNode) {
          const keep = toBool(this.eval(conditionNode, scope, mode), "the if clause of a for expression");
          if (keep instanceof Unknown) return new Unknown(`the filter ${quote(String(meta.conditionalExpression))} cannot be decided: ${keep.reason}`);
          if (!keep) continue;
        }
        const value = this.eval(valueNode, scope, mode);
        if (!objectForm) {
          listOut.push(value);
          continue;
        }
        const key = this.eval(keyNode!, scope, mode);
        if (key instanceof Unknown) return new Unknown(`a key of the for expression is unknown: ${key.reason}`);
        if (typeof key !== "string" && typeof key !== "number" && typeof key !== "boolean") throw new EvalError("a key of the for expression is not a string");
        const name = scalarText(key);
        if (grouped) {
          const group = groups.get(name);
          if (group) group.push(value);
          else groups.set(name, [value]);
        } else {
          if (hasKey(objectOut, name)) throw new EvalError(`duplicate key "${name}" in a for expression (use ... to group)`);
          objectOut[name] = value;
        }
      }
      if (inTemplate) {
        return combine(listOut, (known) => {
          const text = known.map(templateText).join("");
          if (text.length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
          return text;
        });
      }
      if (!objectForm) return listOut;
      if (grouped) for (const name of [...groups.keys()].sort(compareText)) objectOut[name] = groups.get(name)!;
      return objectOut;
    };

    const collection = this.eval(collectionNode, env, mode);
    if (collection instanceof Unknown) return collection.possible ? this.overPossible(collection, run) : new Unknown(collection.reason);
    return run(collection);
  }

  private call(node: Node, env: Env, mode: Mode): Resolved {
    const meta = node.meta ?? {};
    const name = String(meta.name ?? "");
    const children = node.children ?? [];
    if (name === "try" || name === "can") return this.tryCall(name, children, env, mode);
    if (FILE_READERS.has(name)) return this.fileCall(name, children, env, mode);
    const unevaluated = UNEVALUATED[name];
    if (unevaluated !== undefined) return new Unknown(`${name}() ${unevaluated}`);
    const spec = FUNCTIONS[name];
    if (!spec) return new Unknown(`the function ${name}() is not evaluated by parapet`);
    let args = children.map((c) => this.eval(c, env, mode));
    if (meta.expandedFinalArgument === true && args.length > 0) {
      const last = args[args.length - 1]!;
      if (last instanceof Unknown) return new Unknown(last.reason);
      if (!Array.isArray(last)) throw new EvalError(`${name}(): the argument expanded with ... is not a list`);
      args = [...args.slice(0, -1), ...last];
    }
    const [min, max] = spec.arity;
    if (args.length < min || (max !== undefined && args.length > max)) {
      throw new EvalError(`${name}() takes ${max === min ? min : max === undefined ? `at least ${min}` : `${min} to ${max}`} arguments, not ${args.length}`);
    }
    const fx: Fx = { charge: (n) => this.step(n), name };
    const run = (known: Resolved[]): Resolved => {
      try {
        const result = spec.fn(known.map((a) => (a === ABSENT ? null : a)), fx);
        if (typeof result === "string" && result.length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
        return result;
      } catch (error) {
        if (error instanceof NeedUnknown) return new Unknown(error.unknown.reason, error.unknown.possible ? { possible: error.unknown.possible } : {});
        if (error instanceof EvalError) throw new EvalError(`${name}(): ${error.message}`);
        throw error;
      }
    };
    if (spec.lazy) return run(args);
    const expanding = args.some((a) => a instanceof Unknown);
    const result = combine(args, (known) => {
      if (!expanding) return run(known);
      try {
        return run(known);
      } catch (error) {
        if (error instanceof EvalError) return new Unknown(error.message);
        throw error;
      }
    });
    return result instanceof Unknown && !result.possible ? (partlyKnownCall(name, args, result, fx) ?? result) : result;
  }

  /** `file(path)`, `filebase64(path)`, `templatefile(path, vars)`: the file is read through the scope. */
  private fileCall(name: string, children: Node[], env: Env, mode: Mode): Resolved {
    const arity = name === "templatefile" ? 2 : 1;
    if (children.length !== arity) throw new EvalError(`${name}() takes ${arity === 1 ? "1 argument" : "2 arguments"}, not ${children.length}`);
    if (name === "templatefile" && this.rendering) throw new EvalError("templatefile() cannot be called from inside a template file");
    const [path, vars] = children.map((c) => this.eval(c, env, mode));
    const scope = this.scope;
    if (!scope.readFile) return new Unknown(`${name}() reads a file, which parapet does not do here`);
    if (path instanceof Unknown && !path.possible) return new Unknown(`the file that ${name}() reads is unknown: ${path.reason}`, path.ref ? { ref: path.ref } : {});
    return combineSafe([path!], ([p]) => {
      if (typeof p !== "string") throw new EvalError(`${name}(): the path must be a string, not ${describe(p!)}`);
      const file = scope.readFile!(p);
      if (file instanceof Unknown) return file;
      if (name === "filebase64") return file.bytes.toString("base64");
      const text = utf8Text(file.bytes);
      if (text === undefined) throw new EvalError(`${name}(): ${file.shown} is not UTF-8 text`);
      return name === "file" ? text : this.render(text, file.shown, vars!);
    });
  }

  /** The text of a template file rendered with the variables templatefile() gives it. */
  render(text: string, shown: string, vars: Resolved): Resolved {
    if (!(vars instanceof Unknown) && !isMap(vars)) throw new EvalError(`templatefile(): the variables must be a map, not ${describe(vars)}`);
    if (!hasExpression(text)) return text;
    const label = `the template ${shown}`;
    const tree = this.cache.template(text);
    if (tree === undefined) return new Unknown(`${label} is not parsed yet`);
    if (tree instanceof Error) return new Unknown(tree.message === TOO_COMPLEX ? `${label} is too complex to render ${fixedCap("expression size")}` : `${label} is not a valid template: ${tree.message}`);
    return new Evaluator(templateScope(vars, label, this.scope), this.cache, true).renderTemplate(text, tree, label);
  }

  private tryCall(name: "try" | "can", children: Node[], env: Env, mode: Mode): Resolved {
    if (name === "can" && children.length !== 1) throw new EvalError("can() takes 1 argument");
    if (children.length === 0) throw new EvalError("try() needs at least one argument");
    let lastError = "";
    for (const child of children) {
      let value: Resolved;
      this.tryDepth++;
      try {
        value = this.eval(child, env, mode);
      } catch (error) {
        if (error instanceof EvalError) {
          lastError = error.message;
          if (name === "can") return false;
          continue;
        }
        if (error instanceof NeedUnknown) value = error.unknown;
        else throw error;
      } finally {
        this.tryDepth--;
      }
      if (name === "can") {
        const u = firstUnknown(value);
        return u ? new Unknown(`can() cannot tell whether ${quote(String(child.meta?.value ?? ""))} succeeds: ${u.reason}`) : true;
      }
      return value;
    }
    throw new EvalError(`try(): no argument could be evaluated (last error: ${lastError})`);
  }
}

/** The functions that read a file of the configuration (see {@link ExpressionScope.readFile}). */
const FILE_READERS = new Set(["file", "filebase64", "templatefile"]);

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text, or undefined when they are not UTF-8 (Terraform's file() refuses them). */
function utf8Text(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * What a template file sees: the variables that templatefile() passes it (a template reads
 * nothing else: Terraform rejects any other name), and files through the outer scope.
 */
function templateScope(vars: Resolved, label: string, outer: ExpressionScope): ExpressionScope {
  return {
    reference(parts) {
      const [name, ...rest] = parts.map(String);
      if (isMap(vars) && !hasKey(vars, name!)) return new Unknown(`${label} uses ${name}, which templatefile() does not pass to it (Terraform would fail)`);
      return getPath(vars, [name!, ...rest]);
    },
    ...(outer.readFile ? { readFile: (path: string) => outer.readFile!(path) } : {}),
  };
}

/** How many parts name the referenced object itself (the rest are attributes and indexes). */
function referenceLength(keys: (string | number)[]): number {
  switch (keys[0]) {
    case "var":
    case "local":
    case "each":
    case "count":
    case "path":
    case "terraform":
    case "self":
      return 2;
    case "module":
      return 3;
    case "data":
      return typeof keys[3] === "number" ? 5 : 4;
    default:
      return typeof keys[2] === "number" ? 4 : 3;
  }
}

/**
 * {@link combine}, except that when unknown inputs are expanded into their possible values,
 * a combination that fails becomes a plain unknown instead of failing the whole expression.
 */
function combineSafe(inputs: readonly Resolved[], fn: (known: Resolved[]) => Resolved): Resolved {
  if (!inputs.some((i) => i instanceof Unknown && i.possible)) return combine(inputs, fn);
  return combine(inputs, (known) => {
    try {
      return fn(known);
    } catch (error) {
      if (error instanceof EvalError) return new Unknown(error.message);
      if (error instanceof NeedUnknown) return error.unknown;
      throw error;
    }
  });
}

/** Terraform computes with arbitrary precision: drop binary noise such as 0.1 + 0.2 = 0.30000000000000004. */
function tidy(n: number): number {
  return Number.isInteger(n) || !Number.isFinite(n) ? n : Number(n.toPrecision(15));
}

function isDirective(node: Node): boolean {
  if (node.type === "templateJoin") return true;
  return node.type === "conditional" && String(node.meta?.value ?? "").startsWith("%{");
}

function literal(type: string, text: string, mode: Mode): Resolved {
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
function decodeLiteral(raw: string, mode: Mode): string {
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

function segmentKey(part: { type: string; segment: string }): string | number {
  const s = part.segment;
  if (part.type === "nameTraversal") return s;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1);
  const n = Number(s);
  return s.trim() !== "" && Number.isFinite(n) ? n : s;
}

function indexKey(k: Resolved): string | number {
  if (typeof k === "number" || typeof k === "string") return k;
  if (typeof k === "boolean") return String(k);
  if (k === null || k === ABSENT) throw new EvalError("an index is null");
  throw new EvalError(`a ${typeName(k)} cannot be used as an index`);
}

function describeKey(key: string | number, byName: boolean): string {
  return byName ? `the attribute "${key}"` : `the element [${JSON.stringify(key)}]`;
}

function typeName(v: Resolved): string {
  if (v === null || v === ABSENT) return "null value";
  if (Array.isArray(v)) return "list";
  if (v instanceof Unknown) return "unknown value";
  if (isMap(v)) return "map";
  return typeof v;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Terraform's rendering of a number (integers without exponent, floats without binary noise). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return String(Number(n.toPrecision(15)));
}

function scalarText(v: string | number | boolean): string {
  return typeof v === "number" ? formatNumber(v) : String(v);
}

function templateText(v: Resolved): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return scalarText(v);
  if (v === null || v === ABSENT) throw new EvalError("a null value cannot be part of a string template");
  if (v instanceof Unknown) throw new NeedUnknown(v);
  throw new EvalError(`a ${typeName(v)} cannot be part of a string template`);
}

function toBool(v: Resolved, what: string): boolean | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new EvalError(`${what} must be a bool, not ${describe(v)}`);
}

const NUMBER_TEXT = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(v: Resolved, what: string): number {
  if (v instanceof Unknown) throw new NeedUnknown(v);
  if (typeof v === "number") return v;
  if (typeof v === "string" && NUMBER_TEXT.test(v.trim())) return Number(v.trim());
  throw new EvalError(`${what} must be numbers, not ${describe(v)}`);
}

function describe(v: Resolved): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 37) + "..." : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return `a ${typeName(v)}`;
}

// ---------------------------------------------------------------------------------------------
// Functions

interface Fx {
  charge(n: number): void;
  name: string;
}
interface FunctionSpec {
  /** Minimum and maximum (undefined = any) number of arguments. */
  arity: [number, number?];
  /** Lazy functions receive unknown arguments as they are; others only known ones. */
  lazy?: boolean;
  fn(args: Resolved[], fx: Fx): Resolved;
}

/** Functions whose value parapet never computes, with the reason. */
const UNEVALUATED: Record<string, string> = lookupTable({
  filebase64sha256: "reads a file, which parapet does not do",
  filebase64sha512: "reads a file, which parapet does not do",
  filemd5: "reads a file, which parapet does not do",
  filesha1: "reads a file, which parapet does not do",
  filesha256: "reads a file, which parapet does not do",
  filesha512: "reads a file, which parapet does not do",
  fileexists: "checks a file, which parapet does not do",
  fileset: "lists files, which parapet does not do",
  timestamp: "is known only when Terraform runs",
  plantimestamp: "is known only when Terraform runs",
  uuid: "is random, known only when Terraform runs",
  uuidv5: "is not evaluated by parapet",
  bcrypt: "is random, known only when Terraform runs",
  ephemeralasnull: "is known only when Terraform runs",
});

function known(v: Resolved): Resolved {
  if (v instanceof Unknown) throw new NeedUnknown(v);
  return v === ABSENT ? null : v;
}

function deepKnown(v: Resolved): Resolved {
  const u = firstUnknown(v);
  if (u) throw new NeedUnknown(u);
  return v === ABSENT ? null : v;
}

function str(v: Resolved, what = "the argument"): string {
  const x = known(v);
  if (typeof x === "string") return x;
  if (typeof x === "number" || typeof x === "boolean") return scalarText(x);
  if (x === null) throw new EvalError(`${what} is null`);
  throw new EvalError(`${what} must be a string, not a ${typeName(x)}`);
}

function num(v: Resolved, what = "the argument"): number {
  const x = known(v);
  if (x === null) throw new EvalError(`${what} is null`);
  return toNumber(x, what);
}

function int(v: Resolved, what = "the argument"): number {
  const n = num(v, what);
  if (!Number.isInteger(n)) throw new EvalError(`${what} must be a whole number, not ${n}`);
  return n;
}

function list(v: Resolved, what = "the argument"): Resolved[] {
  const x = known(v);
  if (Array.isArray(x)) return x;
  if (x === null) throw new EvalError(`${what} is null`);
  throw new EvalError(`${what} must be a list, not ${describe(x)}`);
}

function map(v: Resolved, what = "the argument"): ResolvedMap {
  const x = known(v);
  if (isMap(x)) return x;
  if (x === null) throw new EvalError(`${what} is null`);
  throw new EvalError(`${what} must be a map, not ${describe(x)}`);
}

function strings(items: Resolved[]): string[] {
  return items.map((item) => str(item, "a list element"));
}

function dedupe(items: Resolved[], fx: Fx): Resolved[] {
  const out: Resolved[] = [];
  fx.charge(items.length);
  for (const item of items) {
    const k = deepKnown(item);
    if (!out.some((o) => sameValue(o, k))) out.push(k);
  }
  return out;
}

function chars(s: string): string[] {
  return Array.from(s);
}

const FUNCTIONS: Record<string, FunctionSpec> = lookupTable({
  // --- collections
  length: {
    arity: [1, 1],
    fn: ([v]) => {
      const x = known(v!);
      if (typeof x === "string") return chars(x).length;
      if (Array.isArray(x)) return x.length;
      if (isMap(x)) return Object.keys(x).length;
      throw new EvalError(`cannot take the length of ${describe(x)}`);
    },
  },
  concat: {
    arity: [0],
    fn: (args, fx) => {
      const out: Resolved[] = [];
      for (const a of args) {
        const l = list(a);
        fx.charge(l.length);
        out.push(...l);
      }
      return out;
    },
  },
  merge: {
    arity: [0],
    fn: (args, fx) => {
      const out = emptyMap();
      for (const a of args) {
        if (a === null) continue;
        const m = map(a);
        const keys = Object.keys(m);
        fx.charge(keys.length);
        for (const k of keys) out[k] = m[k]!;
      }
      return out;
    },
  },
  lookup: {
    arity: [2, 3],
    lazy: true,
    fn: ([m, k, fallback]) =>
      combine([m!, k!], ([mm, kk]) => {
        const obj = map(mm!);
        const key = str(kk!, "the key");
        if (hasKey(obj, key)) return obj[key]!;
        if (fallback !== undefined) return fallback;
        throw new EvalError(`there is no element with the key "${key}"`);
      }),
  },
  element: {
    arity: [2, 2],
    fn: ([l, i]) => {
      const items = list(l!);
      const index = int(i!, "the index");
      if (items.length === 0) throw new EvalError("cannot use element() with an empty list");
      if (index < 0) throw new EvalError("the index must not be negative");
      return items[index % items.length]!;
    },
  },
  tolist: {
    arity: [1, 1],
    fn: ([v]) => {
      const x = known(v!);
      if (x === null || Array.isArray(x)) return x;
      throw new EvalError(`cannot convert ${describe(x)} to a list`);
    },
  },
  toset: {
    arity: [1, 1],
    fn: ([v], fx) => {
      const x = known(v!);
      if (x === null) return null;
      if (!Array.isArray(x)) throw new EvalError(`cannot convert ${describe(x)} to a set`);
      const items = dedupe(x, fx);
      if (items.every((i) => typeof i === "string")) return (items as string[]).sort(compareText);
      if (items.every((i) => typeof i === "number")) return (items as number[]).sort((a, b) => a - b);
      return items;
    },
  },
  tomap: {
    arity: [1, 1],
    fn: ([v]) => {
      const x = known(v!);
      if (x === null || isMap(x)) return x;
      throw new EvalError(`cannot convert ${describe(x)} to a map`);
    },
  },
  flatten: {
    arity: [1, 1],
    fn: ([v], fx) => {
      const out: Resolved[] = [];
      const walk = (items: Resolved[], depth: number): void => {
        if (depth > MAX_VALUE_DEPTH) throw new TooComplex(TOO_COMPLEX);
        fx.charge(items.length);
        for (const item of items) {
          const k = known(item);
          if (Array.isArray(k)) walk(k, depth + 1);
          else out.push(k);
        }
      };
      walk(list(v!), 0);
      return out;
    },
  },
  contains: {
    arity: [2, 2],
    fn: ([l, v], fx) => {
      const items = list(l!);
      fx.charge(items.length);
      const needle = deepKnown(v!);
      if (items.some((i) => sameValue(i, needle))) return true;
      const u = items.map(firstUnknown).find((x) => x);
      if (u) throw new NeedUnknown(u);
      return false;
    },
  },
  keys: { arity: [1, 1], fn: ([m]) => Object.keys(map(m!)).sort(compareText) },
  values: {
    arity: [1, 1],
    fn: ([m]) => {
      const obj = map(m!);
      return Object.keys(obj)
        .sort(compareText)
        .map((k) => obj[k]!);
    },
  },
  distinct: { arity: [1, 1], fn: ([l], fx) => dedupe(list(l!), fx) },
  compact: {
    arity: [1, 1],
    fn: ([l], fx) => {
      const items = list(l!);
      fx.charge(items.length);
      return items.map((i) => known(i)).filter((i) => i !== null && i !== "");
    },
  },
  coalesce: {
    arity: [1],
    lazy: true,
    fn: (args) => {
      const pick = (values: Resolved[]): Resolved => {
        for (const v of values) {
          const x = known(v);
          if (x !== null && x !== "") return x;
        }
        throw new EvalError("no non-null, non-empty argument");
      };
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a instanceof Unknown) return combine(args.slice(i), pick);
        if (a !== null && a !== ABSENT && a !== "") return a;
      }
      throw new EvalError("no non-null, non-empty argument");
    },
  },
  coalescelist: {
    arity: [1],
    lazy: true,
    fn: (args) => {
      const pick = (values: Resolved[]): Resolved => {
        for (const v of values) if (list(v).length > 0) return v;
        throw new EvalError("no non-empty list argument");
      };
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a instanceof Unknown) return combine(args.slice(i), pick);
        if (list(a).length > 0) return a;
      }
      throw new EvalError("no non-empty list argument");
    },
  },
  range: {
    arity: [1, 3],
    fn: (args, fx) => {
      const n = args.map((a) => num(a));
      const [start, limit, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? (n[1]! >= n[0]! ? 1 : -1)];
      if (step === 0) throw new EvalError("the step must not be zero");
      if ((limit > start && step < 0) || (limit < start && step > 0)) throw new EvalError("the step points away from the limit");
      const out: number[] = [];
      for (let v = start; step > 0 ? v < limit : v > limit; v += step) {
        if (out.length >= 1024) throw new EvalError("more than 1024 values were generated");
        out.push(v);
      }
      fx.charge(out.length);
      return out;
    },
  },
  slice: {
    arity: [3, 3],
    fn: ([l, s, e]) => {
      const items = list(l!);
      const start = int(s!, "the start index");
      const end = int(e!, "the end index");
      if (start < 0 || end > items.length || start > end) throw new EvalError(`the range [${start}, ${end}) does not fit a list of ${items.length} elements`);
      return items.slice(start, end);
    },
  },
  index: {
    arity: [2, 2],
    fn: ([l, v], fx) => {
      const items = list(l!);
      const needle = deepKnown(v!);
      fx.charge(items.length);
      for (let i = 0; i < items.length; i++) {
        const item = deepKnown(items[i]!);
        if (sameValue(item, needle)) return i;
      }
      throw new EvalError("the value is not in the list");
    },
  },
  zipmap: {
    arity: [2, 2],
    fn: ([k, v], fx) => {
      const keys = strings(list(k!, "the key list"));
      const values = list(v!, "the value list");
      if (keys.length !== values.length) throw new EvalError(`${keys.length} keys but ${values.length} values`);
      fx.charge(keys.length);
      const out = emptyMap();
      keys.forEach((key, i) => (out[key] = values[i]!));
      return out;
    },
  },
  reverse: { arity: [1, 1], fn: ([l]) => [...list(l!)].reverse() },
  setproduct: {
    arity: [1],
    fn: (lists, fx) => {
      let product: Resolved[][] = [[]];
      for (const [i, l] of lists.entries()) {
        const items = dedupe(list(l, `argument ${i + 1}`), fx);
        fx.charge(product.length * items.length);
        product = product.flatMap((prefix) => items.map((item) => [...prefix, item]));
      }
      return product;
    },
  },
  setunion: { arity: [1], fn: (sets, fx) => dedupe(sets.flatMap((l, i) => list(l, `argument ${i + 1}`)), fx) },
  setintersection: {
    arity: [1],
    fn: (sets, fx) => {
      const [first, ...rest] = sets.map((l, i) => dedupe(list(l, `argument ${i + 1}`), fx));
      return first!.filter((item) => rest.every((other) => other.some((o) => sameValue(o, item))));
    },
  },
  setsubtract: {
    arity: [2, 2],
    fn: ([a, b], fx) => {
      const remove = dedupe(list(b!, "the second set"), fx);
      return dedupe(list(a!, "the first set"), fx).filter((item) => !remove.some((r) => sameValue(r, item)));
    },
  },
  sort: {
    arity: [1, 1],
    fn: ([l], fx) => {
      const items = strings(list(l!));
      fx.charge(items.length * 4);
      return items.sort(compareText);
    },
  },
  one: {
    arity: [1, 1],
    fn: ([l]) => {
      const items = list(l!);
      if (items.length > 1) throw new EvalError(`the list has ${items.length} elements, not at most one`);
      return items.length === 0 ? null : items[0]!;
    },
  },
  alltrue: {
    arity: [1, 1],
    fn: ([l]) => {
      const bools = list(l!).map((i) => toBool(known(i), "a list element"));
      if (bools.includes(false)) return false;
      const u = bools.find((b): b is Unknown => b instanceof Unknown);
      if (u) throw new NeedUnknown(u);
      return true;
    },
  },
  anytrue: {
    arity: [1, 1],
    fn: ([l]) => {
      const bools = list(l!).map((i) => (i instanceof Unknown ? i : toBool(known(i), "a list element")));
      if (bools.includes(true)) return true;
      const u = bools.find((b): b is Unknown => b instanceof Unknown);
      if (u) throw new NeedUnknown(u);
      return false;
    },
  },
  sum: {
    arity: [1, 1],
    fn: ([l]) => {
      const items = list(l!);
      if (items.length === 0) throw new EvalError("cannot sum an empty list");
      return items.reduce<number>((acc, i) => acc + num(i, "a list element"), 0);
    },
  },

  // --- type conversion
  tostring: {
    arity: [1, 1],
    fn: ([v]) => {
      const x = known(v!);
      if (x === null) return null;
      if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") return scalarText(x);
      throw new EvalError(`cannot convert a ${typeName(x)} to a string`);
    },
  },
  tonumber: {
    arity: [1, 1],
    fn: ([v]) => {
      const x = known(v!);
      if (x === null) return null;
      if (typeof x === "number") return x;
      if (typeof x === "string" && NUMBER_TEXT.test(x)) return Number(x);
      throw new EvalError(`cannot convert ${describe(x)} to a number`);
    },
  },
  tobool: {
    arity: [1, 1],
    fn: ([v]) => {
      const x = known(v!);
      if (x === null) return null;
      const b = toBool(x, "the argument");
      return b;
    },
  },

  // --- strings
  format: { arity: [1], fn: (args, fx) => format(str(args[0]!, "the format"), args.slice(1), fx) },
  join: {
    arity: [2],
    fn: ([sep, ...lists], fx) => {
      const separator = str(sep!, "the separator");
      const items: string[] = [];
      for (const l of lists) {
        const values = list(l);
        fx.charge(values.length);
        items.push(...strings(values));
      }
      return items.join(separator);
    },
  },
  split: {
    arity: [2, 2],
    fn: ([sep, s]) => {
      const separator = str(sep!, "the separator");
      const text = str(s!);
      if (text === "") return [""];
      return separator === "" ? chars(text) : text.split(separator);
    },
  },
  lower: { arity: [1, 1], fn: ([s]) => str(s!).toLowerCase() },
  upper: { arity: [1, 1], fn: ([s]) => str(s!).toUpperCase() },
  title: { arity: [1, 1], fn: ([s]) => str(s!).replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()) },
  trimspace: { arity: [1, 1], fn: ([s]) => str(s!).replace(/^\s+|\s+$/gu, "") },
  trim: {
    arity: [2, 2],
    fn: ([s, cut]) => {
      const set = new Set(chars(str(cut!)));
      const c = chars(str(s!));
      let a = 0;
      let b = c.length;
      while (a < b && set.has(c[a]!)) a++;
      while (b > a && set.has(c[b - 1]!)) b--;
      return c.slice(a, b).join("");
    },
  },
  trimprefix: {
    arity: [2, 2],
    fn: ([s, p]) => {
      const text = str(s!);
      const prefix = str(p!);
      return text.startsWith(prefix) ? text.slice(prefix.length) : text;
    },
  },
  trimsuffix: {
    arity: [2, 2],
    fn: ([s, p]) => {
      const text = str(s!);
      const suffix = str(p!);
      return suffix !== "" && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
    },
  },
  strrev: { arity: [1, 1], fn: ([s]) => chars(str(s!)).reverse().join("") },
  startswith: { arity: [2, 2], fn: ([s, p]) => str(s!).startsWith(str(p!)) },
  endswith: { arity: [2, 2], fn: ([s, p]) => str(s!).endsWith(str(p!)) },
  substr: {
    arity: [3, 3],
    fn: ([s, o, l]) => {
      const c = chars(str(s!));
      let offset = int(o!, "the offset");
      const length = int(l!, "the length");
      if (offset < 0) offset = Math.max(0, c.length + offset);
      if (offset > c.length) throw new EvalError("the offset is past the end of the string");
      return c.slice(offset, length < 0 ? undefined : offset + length).join("");
    },
  },
  replace: {
    arity: [3, 3],
    fn: ([s, f, r], fx) => {
      const text = str(s!);
      const search = str(f!, "the substring");
      const replacement = str(r!, "the replacement");
      fx.charge(Math.ceil(text.length / 100));
      if (search.length > 1 && search.startsWith("/") && search.endsWith("/")) {
        const re = compileRegex(search.slice(1, -1), "g");
        return text.replace(re, (...m: unknown[]) => expandReplacement(replacement, m));
      }
      if (search === "") throw new EvalError("the substring must not be empty");
      return text.split(search).join(replacement);
    },
  },
  regex: {
    arity: [2, 2],
    fn: ([p, s]) => {
      const re = compileRegex(str(p!, "the pattern"), "");
      const m = re.exec(str(s!));
      if (!m) throw new EvalError("the pattern did not match");
      return regexResult(m);
    },
  },
  regexall: {
    arity: [2, 2],
    fn: ([p, s], fx) => {
      const re = compileRegex(str(p!, "the pattern"), "g");
      const out: Resolved[] = [];
      for (const m of str(s!).matchAll(re)) {
        fx.charge(1);
        out.push(regexResult(m));
      }
      return out;
    },
  },

  // --- numbers
  max: {
    arity: [1],
    fn: (args) => Math.max(...args.map((a) => num(a))),
  },
  min: {
    arity: [1],
    fn: (args) => Math.min(...args.map((a) => num(a))),
  },
  abs: { arity: [1, 1], fn: ([n]) => Math.abs(num(n!)) },
  ceil: { arity: [1, 1], fn: ([n]) => Math.ceil(num(n!)) },
  floor: { arity: [1, 1], fn: ([n]) => Math.floor(num(n!)) },
  signum: { arity: [1, 1], fn: ([n]) => Math.sign(num(n!)) },
  pow: { arity: [2, 2], fn: ([a, b]) => Math.pow(num(a!), num(b!)) },
  parseint: {
    arity: [2, 2],
    fn: ([s, b]) => {
      const text = str(s!);
      const base = int(b!, "the base");
      if (base < 2 || base > 62) throw new EvalError("the base must be between 2 and 62");
      const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".slice(0, base);
      const body = text.replace(/^[-+]/, "");
      const lower = base <= 36 ? body.toLowerCase() : body;
      if (lower === "" || [...lower].some((ch) => !digits.includes(ch))) throw new EvalError(`cannot parse ${JSON.stringify(text)} as a base ${base} integer`);
      let value = 0n;
      for (const ch of lower) value = value * BigInt(base) + BigInt(digits.indexOf(ch));
      return Number(text.startsWith("-") ? -value : value);
    },
  },

  // --- encoding
  jsonencode: { arity: [1, 1], fn: ([v]) => encodeJson(v!) },
  jsondecode: {
    arity: [1, 1],
    lazy: true,
    // JSON text with unknown parts decodes to the value it was encoded from.
    fn: ([s]) => (s instanceof Unknown && s.decoded !== undefined ? s.decoded : mapKnown(s!, decodeJson)),
  },
  base64encode: { arity: [1, 1], fn: ([s]) => Buffer.from(str(s!), "utf8").toString("base64") },
  base64decode: {
    arity: [1, 1],
    fn: ([s]) => {
      const text = str(s!);
      if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new EvalError("the argument is not valid base64");
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(text, "base64"));
      } catch {
        throw new EvalError("the decoded bytes are not valid UTF-8");
      }
    },
  },
  urlencode: { arity: [1, 1], fn: ([s]) => encodeURIComponent(str(s!)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, "+") },

  // --- networking
  cidrsubnet: {
    arity: [3, 3],
    fn: ([p, b, n]) => {
      const net = parseCidr(str(p!, "the prefix"));
      const newbits = int(b!, "newbits");
      const netnum = BigInt(int(n!, "netnum"));
      if (newbits < 0) throw new EvalError("newbits must not be negative");
      const length = net.prefix + newbits;
      if (length > net.bits) throw new EvalError(`insufficient address space to extend prefix of ${net.prefix} by ${newbits}`);
      if (netnum < 0n || netnum >= 1n << BigInt(newbits)) throw new EvalError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
      const address = net.network | (netnum << BigInt(net.bits - length));
      return `${formatAddress(address, net.bits)}/${length}`;
    },
  },
  cidrhost: {
    arity: [2, 2],
    fn: ([p, h]) => {
      const net = parseCidr(str(p!, "the prefix"));
      const size = 1n << BigInt(net.bits - net.prefix);
      let host = BigInt(int(h!, "hostnum"));
      if (host < 0n) host += size;
      if (host < 0n || host >= size) throw new EvalError(`prefix of ${net.prefix} does not accommodate a host numbered ${h as number}`);
      return formatAddress(net.network | host, net.bits);
    },
  },
  cidrnetmask: {
    arity: [1, 1],
    fn: ([p]) => {
      const net = parseCidr(str(p!, "the prefix"));
      if (net.bits !== 32) throw new EvalError("only IPv4 prefixes have a netmask");
      return formatAddress(mask(net.prefix, 32), 32);
    },
  },
});

// --- format()

function format(spec: string, args: Resolved[], fx: Fx): string {
  return formatParts(spec, args, fx).map(templateText).join("");
}

/**
 * The pieces of `format(spec, args...)` in order: text, and where an argument is unknown,
 * that argument (`%s`, `%v` without width or precision) or an unknown piece (any other verb).
 */
function formatParts(spec: string, args: Resolved[], fx: Fx): TextPart[] {
  const out: TextPart[] = [];
  let length = 0;
  const push = (piece: TextPart) => {
    out.push(piece);
    length += typeof piece === "string" ? piece.length : 0;
    if (length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
  };
  let next = 0;
  let used = 0;
  const re = /%([-+ 0#]*)(\[(\d+)\])?(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])?/g;
  let last = 0;
  for (let m = re.exec(spec); m; m = re.exec(spec)) {
    push(spec.slice(last, m.index));
    last = m.index + m[0].length;
    fx.charge(1);
    const [, flags = "", , explicit, widthText, precisionText, verb] = m;
    if (verb === "%") {
      push("%");
      continue;
    }
    if (!verb) throw new EvalError("a format verb is missing after %");
    if (widthText === "*") throw new EvalError("* widths are not supported");
    if (explicit !== undefined) next = Number(explicit) - 1;
    if (next < 0 || next >= args.length) throw new EvalError(`not enough arguments for the format ${JSON.stringify(spec)}`);
    const arg = args[next++]!;
    used = Math.max(used, next);
    const width = widthText ? Number(widthText) : 0;
    const precision = precisionText !== undefined ? Number(precisionText) : undefined;
    if (width > 1000 || (precision ?? 0) > 1000) throw new TooComplex(TOO_COMPLEX);
    const unknown = firstUnknown(arg);
    if (unknown) push(arg instanceof Unknown && (verb === "s" || verb === "v") && !flags && !width && precision === undefined ? arg : new Unknown(unknown.reason));
    else push(pad(formatVerb(verb, flags, precision, arg), width, flags));
  }
  push(spec.slice(last));
  if (used < args.length) throw new EvalError(`too many arguments; the format uses ${used} of ${args.length}`);
  return out;
}

/**
 * A call whose result is unknown but whose text is partly known: `format` and `join` keep
 * their pieces in order; `base64encode` of such a text is that text, which is what rules
 * read (user data is checked decoded). Undefined for any other call.
 */
function partlyKnownCall(name: string, args: Resolved[], result: Unknown, fx: Fx): Resolved | undefined {
  const [first, ...rest] = args;
  if (name === "base64encode" && first instanceof Unknown && first.parts) return first;
  if (typeof first !== "string") return undefined;
  try {
    if (name === "format") return written(result, formatParts(first, rest, fx), "");
  } catch (error) {
    if (error instanceof EvalError) return undefined;
    throw error;
  }
  if (name !== "join" || !rest.every((l) => Array.isArray(l))) return undefined;
  return written(result, (rest as Resolved[][]).flat(), first);
}

/** The unknown text `result` written as `pieces` with `separator` between them. */
function written(result: Unknown, pieces: readonly Resolved[], separator: string): Unknown {
  const parts = textParts(pieces, separator);
  return partlyKnownText(result, parts, parts);
}

function formatVerb(verb: string, flags: string, precision: number | undefined, arg: Resolved): string {
  const v = deepKnown(arg);
  const sign = (n: number, text: string): string => (n >= 0 && flags.includes("+") ? "+" + text : n >= 0 && flags.includes(" ") ? " " + text : text);
  switch (verb) {
    case "v":
      if (flags.includes("#")) return jsonEncode(v);
      if (v === null) return "null";
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return scalarText(v);
      return jsonEncode(v);
    case "s": {
      const text = str(v, "the value for %s");
      return precision !== undefined ? chars(text).slice(0, precision).join("") : text;
    }
    case "q":
      return jsonEncode(str(v, "the value for %q"));
    case "t": {
      const b = toBool(v, "the value for %t");
      return String(b);
    }
    case "d": {
      const n = num(v, "the value for %d");
      if (!Number.isInteger(n)) throw new EvalError(`${n} has a fractional part; %d needs a whole number`);
      return sign(n, formatNumber(n));
    }
    case "f":
    case "F": {
      const n = num(v, "the value for %f");
      return sign(n, n.toFixed(precision ?? 6));
    }
    case "e":
    case "E": {
      const n = num(v, "the value for %e");
      const text = n.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, "e$10$2");
      return sign(n, verb === "E" ? text.toUpperCase() : text);
    }
    case "g":
    case "G": {
      const n = num(v, "the value for %g");
      const text = precision !== undefined ? String(Number(n.toPrecision(Math.max(precision, 1)))) : formatNumber(n);
      return sign(n, verb === "G" ? text.toUpperCase() : text);
    }
    case "b":
    case "o":
    case "x":
    case "X": {
      if (typeof v === "string" && (verb === "x" || verb === "X")) {
        const hex = Buffer.from(v, "utf8").toString("hex");
        return verb === "X" ? hex.toUpperCase() : hex;
      }
      const n = num(v, `the value for %${verb}`);
      if (!Number.isInteger(n)) throw new EvalError(`${n} has a fractional part; %${verb} needs a whole number`);
      const radix = verb === "b" ? 2 : verb === "o" ? 8 : 16;
      const text = BigInt(n).toString(radix);
      return sign(n, verb === "X" ? text.toUpperCase() : text);
    }
    default:
      throw new EvalError(`unsupported format verb %${verb}`);
  }
}

function pad(text: string, width: number, flags: string): string {
  const length = chars(text).length;
  if (length >= width) return text;
  const fill = width - length;
  if (flags.includes("-")) return text + " ".repeat(fill);
  if (flags.includes("0") && /^[-+ ]?[0-9.]/.test(text)) {
    const signChar = /^[-+ ]/.test(text) ? text[0]! : "";
    return signChar + "0".repeat(fill) + text.slice(signChar.length);
  }
  return " ".repeat(fill) + text;
}

// --- JSON

/** JSON as Terraform writes it: object keys sorted, `<`, `>`, `&` escaped like Go does. */
/**
 * `jsonencode`: JSON text when the value is known; else an unknown that keeps the value, so
 * a policy written with `jsonencode` can still be read where only some parts are unknown.
 */
export function encodeJson(v: Resolved): Resolved {
  const unknown = firstUnknown(v);
  if (!unknown) return jsonEncode(v === ABSENT ? null : v);
  if (v instanceof Unknown) return v;
  return new Unknown(`the JSON text has unknown parts: ${unknown.reason}`, { decoded: v, refs: refsIn(v) });
}

function decodeJson(s: Resolved): Resolved {
  let parsed: unknown;
  try {
    parsed = JSON.parse(str(s));
  } catch (error) {
    throw new EvalError(`invalid JSON: ${(error as Error).message}`);
  }
  return fromJson(parsed, 0);
}

function jsonEncode(v: Resolved, depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw new TooComplex(TOO_COMPLEX);
  if (v === null || v === ABSENT) return "null";
  if (typeof v === "string") return jsonString(v);
  if (typeof v === "number") return Number.isFinite(v) ? formatNumber(v) : "null";
  if (typeof v === "boolean") return String(v);
  if (v instanceof Unknown) throw new NeedUnknown(v);
  if (Array.isArray(v)) return "[" + v.map((x) => jsonEncode(x, depth + 1)).join(",") + "]";
  return (
    "{" +
    Object.keys(v)
      .sort(compareText)
      .map((k) => jsonString(k) + ":" + jsonEncode(v[k]!, depth + 1))
      .join(",") +
    "}"
  );
}

function jsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029\b\f]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function fromJson(v: unknown, depth: number): Resolved {
  if (depth > MAX_VALUE_DEPTH) throw new TooComplex(TOO_COMPLEX);
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((x) => fromJson(x, depth + 1));
  const out = emptyMap();
  for (const [k, x] of Object.entries(v as object)) out[k] = fromJson(x, depth + 1);
  return out;
}

// --- regular expressions (RE2 syntax, as far as JavaScript can follow it)

function compileRegex(pattern: string, flags: string): RegExp {
  let source = pattern;
  let extra = "";
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    if (inline[1]!.includes("U")) throw new EvalError("the U flag of RE2 is not supported");
    extra = inline[1]!;
    source = source.slice(inline[0].length);
  }
  if (/\(\?[a-zA-Z]/.test(source.replace(/\(\?P?</g, ""))) throw new EvalError("inline regular expression flags are only supported at the start");
  source = source.replace(/\(\?P</g, "(?<").replace(/\\z/g, "$(?![\\s\\S])").replace(/\\A/g, "^(?<![\\s\\S])");
  // JavaScript backtracks; RE2 does not. Refuse the shapes that can take exponential time.
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/.test(source) || source.length > 2000) throw new TooComplex(TOO_COMPLEX);
  if (regexRisk(source, flags + extra, { leadingRepetition: false })) throw new TooComplex(TOO_COMPLEX);
  try {
    return new RegExp(source, flags + [...new Set(extra)].join(""));
  } catch (error) {
    throw new EvalError(`invalid regular expression: ${(error as Error).message}`);
  }
}

/** Expands Go's replacement syntax ($1, ${1}, $name, ${name}, $$) for one match. */
function expandReplacement(template: string, match: unknown[]): string {
  const last = match[match.length - 1];
  const groups = typeof last === "object" && last !== null ? (last as Record<string, string | undefined>) : undefined;
  const numbered = match.slice(0, match.findIndex((x) => typeof x === "number")) as (string | undefined)[];
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_all, whole: string, braced?: string, bare?: string) => {
    if (whole === "$") return "$";
    const name = braced ?? bare ?? "";
    if (/^\d+$/.test(name)) return numbered[Number(name)] ?? "";
    return groups?.[name] ?? "";
  });
}

function regexResult(m: RegExpMatchArray | RegExpExecArray): Resolved {
  if (m.groups && Object.keys(m.groups).length > 0) {
    const out = emptyMap();
    for (const [k, v] of Object.entries(m.groups)) out[k] = v ?? "";
    return out;
  }
  if (m.length > 1) return m.slice(1).map((g) => g ?? "");
  return m[0];
}

// --- addresses

interface Network {
  network: bigint;
  prefix: number;
  bits: 32 | 128;
}

function parseCidr(text: string): Network {
  const slash = text.indexOf("/");
  if (slash < 0) throw new EvalError(`${JSON.stringify(text)} is not in CIDR notation`);
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const isV6 = addressText.includes(":");
  const bits = isV6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) throw new EvalError(`${JSON.stringify(text)} has an invalid prefix length`);
  const prefix = Number(prefixText);
  const address = isV6 ? parseIpv6(addressText) : parseIpv4(addressText);
  if (address === undefined) throw new EvalError(`${JSON.stringify(text)} is not a valid address`);
  return { network: address & mask(prefix, bits), prefix, bits };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail: bigint[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const value = parseIpv4(v4[1]!);
    if (value === undefined) return undefined;
    tail = [value >> 16n, value & 0xffffn];
    head = text.slice(0, -v4[1]!.length);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const groups = (s: string): bigint[] | undefined => {
    if (s === "") return [];
    const out: bigint[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  let all: bigint[];
  const gap = head.indexOf("::");
  if (gap >= 0) {
    if (head.indexOf("::", gap + 1) >= 0) return undefined;
    const before = groups(head.slice(0, gap));
    const after = groups(head.slice(gap + 2));
    if (!before || !after) return undefined;
    const missing = 8 - before.length - after.length - tail.length;
    if (missing < 1) return undefined;
    all = [...before, ...new Array<bigint>(missing).fill(0n), ...after, ...tail];
  } else {
    const g = groups(head);
    if (!g) return undefined;
    all = [...g, ...tail];
  }
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function mask(prefix: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return (all << BigInt(bits - prefix)) & all;
}

/** Dotted IPv4, or IPv6 in its canonical short form (RFC 5952). */
function formatAddress(value: bigint, bits: 32 | 128): string {
  if (bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLength).join(":");
}
