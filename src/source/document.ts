/**
 * Reads a YAML or JSON document (a template, or one of parapet's own files) into plain data
 * and a locator.
 *
 * Tagged nodes become what the tag table given to the reader makes of them: with
 * CloudFormation's tags ({@link CLOUDFORMATION_TAGS}, the default), short-form intrinsic tags
 * (`!Ref`, `!GetAtt`, `!Sub`, ...) become their long forms (`{"Ref": ...}`,
 * `{"Fn::GetAtt": [...]}`), so the rest of parapet sees one shape.
 * Positions are not copied into the data: `locate(path)` walks the `yaml` syntax tree on
 * demand, and for JSON the syntax tree is only built when a finding needs a position.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type ScalarTag, type YAMLMap } from "yaml";
import { formatPath, offsetToPosition, type Position, type PropertyPath, type SourceFile } from "./location.js";
import { pathOfNodeAt, type StartOf } from "./node-path.js";
import { emptyMap, hasKey } from "./maps.js";
import { activeLimits, checkDeadline } from "../limits/budget.js";
import { findTooDeep, type DepthSyntax } from "../limits/depth.js";
import { limitMessage } from "../limits/limits.js";
import { CLOUDFORMATION_TAGS } from "./cloudformation-tags.js";
import { jsonLocator } from "./json-positions.js";
import { groupYamlErrors } from "./yaml-errors.js";
import { parsedAsWritten, parseRelaxingFlowIndentation, type PositionMap, type Relaxation } from "./yaml-indent-leniency.js";
import type { Diagnostic, YamlTags } from "./reader-types.js";
export type { Diagnostic, YamlTags } from "./reader-types.js";

export interface ParsedSource {
  /** The document as plain data, intrinsics in long form; undefined when it could not be read. */
  data: unknown;
  file: SourceFile;
  /** Problems that stop the file from being read, or make it invalid for CloudFormation. */
  diagnostics: Diagnostic[];
}

/** Rule id of the notes about YAML that CloudFormation reads but YAML 1.2 does not. */
export const NONSTANDARD_YAML_RULE_ID = "yaml-nonstandard";


/**
 * CloudFormation reads YAML 1.1, where unquoted `yes`, `no`, `on` and `off` (in any of their
 * three spellings) are booleans; YAML 1.2 reads them as strings.
 */
const YAML_11_WORDS = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML_11_BOOLEAN: ScalarTag = {
  tag: "tag:yaml.org,2002:bool",
  default: true,
  test: YAML_11_WORDS,
  resolve: (text: string) => /^(?:yes|on)$/i.test(text),
  identify: () => false,
};

/**
 * `cloudformation`: a template, read as CloudFormation reads YAML (YAML 1.1 booleans, the
 * indentation it lets through); `yaml`: parapet's own files (configuration, rules), YAML 1.2.
 */
export type YamlDialect = "cloudformation" | "yaml";

function parseYamlDocument(text: string, dialect: YamlDialect = "cloudformation"): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  // `yaml` reports every short-form tag (`!Ref`) as an unresolved-tag warning, an Error whose
  // stack trace costs more than the rest of the parse; parapet reads messages and offsets only.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const doc = parseDocument(text, {
      lineCounter: lines,
      keepSourceTokens: false,
      // Duplicate keys are found by the conversion below in linear time; `yaml`'s own check
      // compares each key with every earlier one, which is quadratic in a large Resources map.
      uniqueKeys: false,
      prettyErrors: false,
      customTags: dialect === "cloudformation" ? [YAML_11_BOOLEAN] : [],
    });
    return { doc, lines };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

class Converter<Zone> {
  /** Nodes that aliases may still expand to (against alias bombs and alias cycles). */
  private aliasBudget = activeLimits().maxAliasExpansion;
  /** > 0 while converting the target of an alias. */
  private inAlias = 0;
  private readonly maxDepth = activeLimits().maxDepth;
  readonly diagnostics: Diagnostic[] = [];
  /** Keys written twice in one mapping: errors, as YAML requires unique keys. */
  readonly duplicates: Diagnostic[] = [];

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: PositionMap,
    private readonly text: string,
    private readonly tags: YamlTags<Zone>,
  ) {}

  /** `zone`: where the node sits with respect to the Rules section (rule function tags). */
  convert(node: unknown, depth = 0, zone: Zone = this.tags.root): unknown {
    checkDeadline();
    // Aliases can nest a document deeper than its text shows (an alias inside its own anchor).
    if (depth > this.maxDepth) throw new LimitError(limitMessage("maxDepth", activeLimits(), `the data is nested more than ${this.maxDepth} levels deep`));
    if (this.inAlias > 0 && --this.aliasBudget < 0) {
      throw new LimitError(limitMessage("maxAliasExpansion", activeLimits(), "YAML aliases (*name) expand to too many nodes"));
    }
    if (isAlias(node)) {
      this.inAlias++;
      try {
        return this.convert(node.resolve(this.doc), depth, zone);
      } finally {
        this.inAlias--;
      }
    }
    if (!node) return null;
    const tag = (node as Node).tag;
    let value: unknown;
    if (isMap(node)) {
      const out = emptyMap<unknown>();
      let duplicated: Set<string> | undefined;
      for (const pair of node.items) {
        // Keys are logical ids and property names: a key `Off` stays text, not YAML 1.1's false.
        const raw = isScalar(pair.key) ? keyValue(pair.key) : this.convert(pair.key, depth + 1);
        // A complex key (`? {a: 1}`) becomes text; objects without a prototype have no toString.
        const key = typeof raw === "object" && raw !== null ? JSON.stringify(raw) : String(raw);
        if (hasKey(out, key) && !duplicated?.has(key)) {
          (duplicated ??= new Set()).add(key);
          this.duplicates.push(this.duplicateKey(node, key, pair.key as Node));
        }
        out[key] = this.convert(pair.value, depth + 1, this.tags.zoneOfKey(zone, key, depth === 0));
      }
      value = out;
    } else if (isSeq(node)) {
      const itemZone = this.tags.zoneOfItem(zone);
      value = node.items.map((item) => this.convert(item, depth + 1, itemZone));
    } else if (isScalar(node)) {
      value = this.scalarValue(node);
    } else {
      value = null;
    }
    if (tag && tag.startsWith("!") && !tag.startsWith("!!")) return this.applyTag(tag, value, node as Node, zone);
    if (tag?.startsWith(YAML_TAG) && !YAML_TYPES.has(tag.slice(YAML_TAG.length))) return this.applyTag(`!!${tag.slice(YAML_TAG.length)}`, value, node as Node, zone);
    return value;
  }

  /** Unquoted YAML 1.1 boolean words (`yes`, `Off`) read so far: the first one's place, and how many. */
  private booleanWords: { first: Node & { source?: string; value: unknown }; count: number } | undefined;

  /** A scalar's value; YAML 1.1 boolean words (`yes`) are counted for one note per file. */
  private scalarValue(node: Node & { value: unknown; source?: string }): unknown {
    if (typeof node.value === "boolean" && node.source !== undefined && YAML_11_WORDS.test(node.source)) {
      if (this.booleanWords) this.booleanWords.count++;
      else this.booleanWords = { first: node, count: 1 };
    }
    return node.value;
  }

  /** The note about YAML 1.1 boolean words, once per file, at the first one. */
  booleanWordsNote(): Diagnostic[] {
    if (!this.booleanWords) return [];
    const { first, count } = this.booleanWords;
    const others = count > 1 ? ` (and ${count - 1} more unquoted yes/no/on/off in this file)` : "";
    return [
      {
        message: `non-standard YAML: unquoted ${first.source} is read as ${first.value}${others}, as CloudFormation reads YAML 1.1; YAML 1.2 reads them as text. Quote them where the text is meant`,
        ...this.position(first),
        notice: NONSTANDARD_YAML_RULE_ID,
      },
    ];
  }

  /** One error per key written more than once in a map, at its second occurrence. */
  private duplicateKey(map: YAMLMap, key: string, at: Node): Diagnostic {
    const pairs = map.items.filter((p) => isScalar(p.key) && String(p.key.value) === key);
    const first = pairs[0]?.key as Node | undefined;
    const times = pairs.length > 2 ? `, ${pairs.length} times in all` : "";
    const where = first ? ` (first on line ${this.position(first).line}${times})` : "";
    return { message: `duplicate key ${key}${where}: map keys must be unique`, ...this.position(at) };
  }

  private applyTag(tag: string, value: unknown, node: Node, zone: Zone): unknown {
    const applied = this.tags.apply(tag, value, zone);
    if ("problem" in applied) {
      this.diagnostics.push({ message: applied.problem, ...this.position(node) });
      return value;
    }
    return applied.value;
  }

  private position(node: Node): { line: number; column: number } {
    const p = this.lines.linePos(startWithTag(this.text, node));
    return { line: p.line, column: p.col };
  }
}

class LimitError extends Error {}

function keyValue(key: { value: unknown; source?: string }): unknown {
  return typeof key.value === "boolean" && key.source !== undefined && YAML_11_WORDS.test(key.source) ? key.source : key.value;
}

/** YAML's own tags (`!!str`): the types of its schemas; others (`!!js/function`) are unknown. */
const YAML_TAG = "tag:yaml.org,2002:";
const YAML_TYPES = new Set(["str", "int", "float", "bool", "null", "map", "seq", "binary", "timestamp", "omap", "pairs", "set", "merge", "value"]);

/**
 * Start offset of a node, including a tag written before it: `yaml` starts a node's range at
 * its value, so `- !GetAtt A.B` would otherwise start at `A.B`.
 */
function startWithTag(text: string, node: Node): number {
  const start = node.range?.[0] ?? 0;
  if (!node.tag?.startsWith("!")) return start;
  let i = start;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  let j = i;
  while (j > 0 && !/[\s[{,]/.test(text[j - 1]!)) j--;
  return text[j] === "!" && text.slice(j, i) === node.tag ? j : start;
}

/** Key → pair of a large map node, built once per map (a template's Resources may hold thousands). */
const PAIRS = new WeakMap<object, Map<string, Pair>>();
/** Maps up to this size are searched in place: cheaper than building an index for one lookup. */
const SCAN_UP_TO = 16;

const keyOf = (p: Pair) => String(isScalar(p.key) ? p.key.value : p.key);

/** The first pair of a map node with this key. */
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  if (map.items.length <= SCAN_UP_TO) {
    for (const p of map.items) if (isPair(p) && keyOf(p as Pair) === key) return p as Pair;
    return undefined;
  }
  let index = PAIRS.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isPair(p)) continue;
      const k = keyOf(p as Pair);
      if (!index.has(k)) index.set(k, p as Pair);
    }
    PAIRS.set(map, index);
  }
  return index.get(key);
}

/** Finds the syntax node of a property path, stepping over the tags that stand for a key. */
function locateIn(doc: Document.Parsed, lines: PositionMap, text: string, tags: YamlTags<unknown>, path: PropertyPath): Position | undefined {
  let node: unknown = doc.contents;
  let range: [number, number] | undefined = (doc.contents as Node | null)?.range as [number, number] | undefined;
  for (const part of path) {
    if (isAlias(node)) node = node.resolve(doc);
    const tag = (node as Node | null)?.tag;
    if (tag && tags.keyOf(tag) === part) continue; // `!Ref X` stands for {Ref: X}
    if (isMap(node)) {
      const pair = pairOf(node, String(part));
      if (!pair) return undefined;
      const keyRange = (pair.key as Node | null)?.range;
      const valueRange = (pair.value as Node | null)?.range;
      range = keyRange ? [keyRange[0], valueRange ? valueRange[1] : keyRange[1]] : (valueRange as [number, number] | undefined);
      node = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part] as Node | undefined;
      if (!item) return undefined;
      range = item.range ? [startWithTag(text, item), item.range[1]] : undefined;
      node = item;
    } else if (isScalar(node) && tag && tags.scalarIsList(tag) && typeof part === "number") {
      continue; // `!GetAtt A.B` stands for a two-item list
    } else {
      return undefined;
    }
  }
  if (!range) return undefined;
  const start = lines.linePos(range[0]);
  // Trailing newlines belong to the range of block values; end on the last written character.
  let last = range[1] - 1;
  while (last > range[0] && /\s/.test(text[last] ?? "")) last--;
  const end = lines.linePos(Math.max(range[0], last));
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col + 1 };
}

function makeFile(path: string, absolutePath: string, text: string, locate: (p: PropertyPath) => Position | undefined): SourceFile {
  return { path, absolutePath, text, locate };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A file nested deeper than the `max-depth` limit: not parsed (the parsers recurse once per
 * level), reported where the nesting goes too deep.
 */
function tooDeep(path: string, absolutePath: string, text: string, syntax: DepthSyntax): ParsedSource | undefined {
  const limits = activeLimits();
  const at = findTooDeep(text, syntax, limits.maxDepth);
  if (at === undefined) return undefined;
  const file = makeFile(path, absolutePath, text, () => undefined);
  const message = limitMessage("maxDepth", limits, `the data is nested more than ${limits.maxDepth} levels deep`);
  return { data: undefined, file, diagnostics: [{ message, ...offsetToPosition(text, at) }] };
}

/**
 * Reads a YAML template (or, with dialect `yaml`, another YAML file of parapet's); tagged nodes
 * are read with `tags`.
 */
export function readYamlSource<Zone>(
  path: string,
  absolutePath: string,
  rawText: string,
  dialect: YamlDialect = "cloudformation",
  tags: YamlTags<Zone> = CLOUDFORMATION_TAGS as YamlTags<never>,
): ParsedSource {
  const text = stripBom(rawText);
  const deep = tooDeep(path, absolutePath, text, "yaml");
  if (deep) return deep;
  const { doc, text: parsedText, positions, relaxations } =
    dialect === "cloudformation" ? parseRelaxingFlowIndentation(text, parseYamlDocument) : parsedAsWritten(text, parseYamlDocument(text, dialect));
  const file = makeFile(path, absolutePath, text, (p) => locateIn(doc, positions, parsedText, tags as YamlTags<unknown>, p));
  const startOf: StartOf = (n) => {
    if (!n.range) return undefined;
    const at = positions.linePos(n.range[0]);
    return { line: at.line, column: at.col };
  };
  const notes = relaxations.map((r) => relaxationNote(r, pathOfNodeAt(doc.contents, startOf, r.line, r.column)));
  // With prettyErrors off, `yaml` leaves `linePos` unset: place errors from their offsets.
  if (doc.errors.length > 0) return { data: undefined, file, diagnostics: [...notes, ...groupYamlErrors(doc.errors, parsedText, positions)] };
  const converter = new Converter(doc, positions, parsedText, tags);
  try {
    const data = converter.convert(doc.contents);
    if (converter.duplicates.length > 0) return { data: undefined, file, diagnostics: [...notes, ...converter.duplicates] };
    return { data, file, diagnostics: [...notes, ...converter.booleanWordsNote(), ...converter.diagnostics] };
  } catch (e) {
    if (e instanceof LimitError || e instanceof RangeError) {
      const message = e instanceof LimitError ? e.message : limitMessage("maxDepth", activeLimits(), "the data is nested too deeply to read");
      return { data: undefined, file, diagnostics: [{ message, line: 1, column: 1 }] };
    }
    throw e;
  }
}

/** The note about one under-indented construct; it is identified by the construct's key path where it has one. */
function relaxationNote(r: Relaxation, path: PropertyPath | undefined): Diagnostic {
  const lines = r.lines.length === 1 ? `line ${r.lines[0]}` : `lines ${r.lines[0]}-${r.lines[r.lines.length - 1]}`;
  return {
    ...(path ? { subject: `${r.construct.kind} at ${formatPath(path)}` } : {}),
    message: `non-standard YAML: ${lines} of this ${r.construct.kind} ${r.lines.length === 1 ? "is" : "are"} indented less than YAML 1.2 requires; CloudFormation reads it, strict YAML parsers reject it`,
    line: r.line,
    column: r.column,
    notice: NONSTANDARD_YAML_RULE_ID,
  };
}

/** Reads a JSON template: `JSON.parse` for the data, positions only when asked for. */
export function readJsonSource(path: string, absolutePath: string, rawText: string): ParsedSource {
  const text = stripBom(rawText);
  const deep = tooDeep(path, absolutePath, text, "json");
  if (deep) return deep;
  const file = makeFile(path, absolutePath, text, jsonLocator(text));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { data: undefined, file, diagnostics: [jsonErrorDiagnostic(text, message)] };
  }
  try {
    return { data: protoSafe(parsed), file, diagnostics: [] };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { data: undefined, file, diagnostics: [{ message: "the document is nested too deeply to read", line: 1, column: 1 }] };
  }
}

/**
 * Parsed JSON with null-prototype objects, so that every key, `__proto__` included, stays
 * data (JSON.parse stores a `__proto__` key as an own property, which `for...in` lists).
 * One pass after parsing: a reviver function would make JSON.parse several times slower.
 */
function protoSafe(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = protoSafe(value[i]);
    return value;
  }
  if (typeof value !== "object" || value === null) return value;
  const out = emptyMap<unknown>();
  for (const key in value) out[key] = protoSafe((value as Record<string, unknown>)[key]);
  return out;
}

function jsonErrorDiagnostic(text: string, message: string): Diagnostic {
  // V8 appends the offending text (`, ..."b": [1, 2,]\n}" is not valid JSON`), which may span lines.
  const clean = message
    .replace(/^JSON\.parse: /, "")
    .replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, "")
    .replace(/ in JSON at position \d+[\s\S]*$/, "")
    .replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1)); // `Unexpected token '\n'`
  const at = /at position (\d+)/.exec(message);
  // Messages without an offset ("Unexpected token", "Unexpected end"): find it by scanning.
  const offset = at ? Number(at[1]) : jsonErrorOffset(text);
  return { message: `invalid JSON: ${clean}`, ...offsetToPosition(text, offset ?? text.length) };
}

/** Offset of the first JSON syntax error in `text` (undefined when none is found). */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) (i--, fail());
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail();
      const ch = text[i++];
      if (ch === '"') return;
      if (ch === "\\") {
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
        else fail();
      }
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    } else if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    } else if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) number();
    else fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e instanceof JsonSyntaxAt) return e.offset;
    return undefined; // nested too deeply to scan
  }
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}
