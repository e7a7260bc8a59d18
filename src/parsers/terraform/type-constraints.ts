/**
 * A variable's `type` constraint: read from its syntax tree, applied to the value the
 * variable is given (Terraform converts it: `"22"` to a number, a missing `optional`
 * attribute to its default), and turned into what is known about a variable that has no
 * value (its {@link Shape}).
 */
import { NUMBER } from "../../values/aws-shapes.js";
import { ABSENT, emptyMap, hasKey, isMap, mapKnown, Unknown, type Resolved, type Shape } from "../../values/value.js";
import { evaluateNode, formatNumber, type ExpressionCache, type ExpressionScope, type SyntaxNode } from "./expressions.js";

export type TypeConstraint =
  | { kind: "string" | "number" | "bool" | "any" }
  | { kind: "list" | "set" | "map"; item: TypeConstraint }
  | { kind: "tuple"; items: TypeConstraint[] }
  | { kind: "object"; attributes: Map<string, ObjectAttribute> };

export interface ObjectAttribute {
  type: TypeConstraint;
  optional: boolean;
  /** The default of `optional(type, default)`, applied when the attribute is missing or null. */
  default?: Resolved;
}

const ANY: TypeConstraint = { kind: "any" };
const PRIMITIVES = new Set(["string", "number", "bool", "any"]);

/** Type expressions refer to nothing; a default that does is not read. */
const CONSTANTS: ExpressionScope = { reference: (parts) => new Unknown(`${parts.join(".")} cannot be used in a type constraint`) };

/** A prepared expression (`${...}` and nothing around it): its one node, or undefined. */
export function expressionNode(source: unknown, cache: ExpressionCache): SyntaxNode | undefined {
  if (typeof source !== "string") return undefined;
  const tree = cache.get(source);
  if (!tree || tree instanceof Error) return undefined;
  const isPadding = (c: SyntaxNode) => c.type === "literalValue" && c.meta?.type === "string" && /^\n?$/.test(String(c.meta?.value ?? ""));
  const inner = ((tree as unknown as SyntaxNode).children ?? []).filter((c) => !isPadding(c));
  return inner.length === 1 && inner[0]!.type !== "literalValue" ? unwrap(inner[0]!) : undefined;
}

/** The node inside parentheses. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === "" && n.children?.length === 1) n = n.children[0]!;
  return n;
}

/** The variable's `type` (`any` when it has none or parapet cannot read it). */
export function readType(source: unknown, cache: ExpressionCache): TypeConstraint {
  // `.tf.json` writes the type as plain text: only the primitive names are read from it.
  if (typeof source === "string" && PRIMITIVES.has(source)) return { kind: source as "string" };
  const node = expressionNode(source, cache);
  return node && typeof source === "string" ? typeOf(node, source, cache) : ANY;
}

function typeOf(node: SyntaxNode, source: string, cache: ExpressionCache): TypeConstraint {
  const n = unwrap(node);
  const args = n.children ?? [];
  if (n.type === "scopeTraversal") {
    const name = n.meta?.traversal?.length === 1 ? String(n.meta.traversal[0].segment) : "";
    return PRIMITIVES.has(name) ? { kind: name as "string" } : ANY;
  }
  if (n.type !== "function" || args.length !== 1) return ANY;
  const name = String(n.meta?.name ?? "");
  const arg = unwrap(args[0]!);
  if (name === "list" || name === "set" || name === "map") return { kind: name, item: typeOf(arg, source, cache) };
  if (name === "tuple" && arg.type === "tuple") return { kind: "tuple", items: (arg.children ?? []).map((c) => typeOf(c, source, cache)) };
  if (name === "object" && arg.type === "object") return objectType(arg, source, cache);
  return ANY;
}

function objectType(node: SyntaxNode, source: string, cache: ExpressionCache): TypeConstraint {
  const attributes = new Map<string, ObjectAttribute>();
  const children = node.children ?? [];
  const bytes = cache.sourceBytes(source);
  for (let i = 0; i + 1 < children.length; i += 2) {
    const keyNode = children[i]!;
    const key =
      keyNode.type === "" && !keyNode.children?.length && bytes && keyNode.range
        ? bytes.subarray(keyNode.range.start.byte, keyNode.range.end.byte).toString("utf8")
        : evaluateNode(source, keyNode, CONSTANTS, cache);
    if (typeof key !== "string") return ANY;
    attributes.set(key, objectAttribute(unwrap(children[i + 1]!), source, cache));
  }
  return { kind: "object", attributes };
}

function objectAttribute(node: SyntaxNode, source: string, cache: ExpressionCache): ObjectAttribute {
  const args = node.children ?? [];
  if (node.type !== "function" || node.meta?.name !== "optional" || args.length < 1) return { type: typeOf(node, source, cache), optional: false };
  const type = typeOf(args[0]!, source, cache);
  if (args.length < 2) return { type, optional: true };
  return { type, optional: true, default: conform(evaluateNode(source, args[1]!, CONSTANTS, cache), type) };
}

/**
 * The value as Terraform converts it to the type: numbers and booleans given as text become
 * numbers and booleans (and the other way round for `string`), and a missing or null
 * `optional` attribute takes its default. Values that do not convert stay as they are.
 */
export function conform(value: Resolved, type: TypeConstraint): Resolved {
  if (value instanceof Unknown) return value.possible ? mapKnown(value, (v) => conform(v, type)) : value;
  if (value === null || value === ABSENT) return value;
  switch (type.kind) {
    case "string":
      return typeof value === "number" ? formatNumber(value) : typeof value === "boolean" ? String(value) : value;
    case "number":
      return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
    case "bool":
      return value === "true" ? true : value === "false" ? false : value;
    case "list":
    case "set":
      return Array.isArray(value) ? value.map((v) => conform(v, type.item)) : value;
    case "map":
      return isMap(value) ? mapValues(value, () => type.item) : value;
    case "tuple":
      return Array.isArray(value) ? value.map((v, i) => conform(v, type.items[i] ?? ANY)) : value;
    case "object":
      return isMap(value) ? withAttributes(value, type.attributes) : value;
    default:
      return value;
  }
}

function mapValues(value: { [key: string]: Resolved }, typeOfKey: (key: string) => TypeConstraint): Resolved {
  const out = emptyMap();
  for (const [k, v] of Object.entries(value)) out[k] = conform(v, typeOfKey(k));
  return out;
}

function withAttributes(value: { [key: string]: Resolved }, attributes: Map<string, ObjectAttribute>): Resolved {
  const out = mapValues(value, (k) => attributes.get(k)?.type ?? ANY) as { [key: string]: Resolved };
  for (const [name, attribute] of attributes) {
    const missing = !hasKey(out, name) || out[name] === null || out[name] === ABSENT;
    if (missing && attribute.default !== undefined) out[name] = attribute.default;
  }
  return out;
}

/** What the type alone says about a value of it (none for `any`, maps and objects). */
export function typeShape(type: TypeConstraint): Shape | undefined {
  switch (type.kind) {
    case "string":
      return { type: "string" };
    case "number":
      return { type: "number", pattern: NUMBER, what: "a number" };
    case "bool":
      return { type: "boolean", pattern: "true|false", what: "a boolean" };
    case "list":
    case "set": {
      const item = typeShape(type.item);
      return { type: "list", ...(item?.type !== "list" && item?.pattern ? { pattern: item.pattern } : {}) };
    }
    case "tuple":
      return { type: "list" };
    default:
      return undefined;
  }
}
