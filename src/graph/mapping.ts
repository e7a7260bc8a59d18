/**
 * Declarative adapters: a table per native resource type says which canonical kind it
 * becomes, where each canonical attribute is read from, the defaults the format applies,
 * and which parts of it (inline rules, block devices) become nodes of their own.
 * Each format writes its tables beside its parser; this module applies them.
 */
import type { SourceFormat } from "../findings/finding.js";
import type { PropertyPath, SourceFile } from "../source/location.js";
import {
  ABSENT,
  containsUnknown,
  emptyMap,
  getPath,
  isMap,
  isUnknown,
  mapKnown,
  possibleValues,
  Unknown,
  type Resolved,
  type ResolvedMap,
  lookupTable,
} from "../values/value.js";
import type { SuppressionSpec } from "../suppressions/suppression.js";
import type { GraphNode } from "./graph.js";

/** Normalisations applied to a native value so that every format yields the same canonical value. */
/**
 * `list` keeps lists and wraps a single known value; `item` wraps whatever one value a
 * singular argument holds, unknown or not, into a one-item list; `text` writes structured
 * data as JSON text (an event pattern written as data in one format and as a string in another);
 * `json` parses a string that holds a JSON object or array (a policy written as text) into data
 * and keeps anything else; `base64` decodes a string that is base64 of UTF-8 text (user data)
 * and keeps anything else, text that is not base64 included, as written.
 */
export type ValueShape = "number" | "boolean" | "protocol" | "string" | "list" | "item" | "text" | "json" | "base64";

export interface AttributeSpec {
  /** Native path(s) relative to the resource body, dotted; the first one that is set wins. */
  from?: string | string[];
  /** A constant the kind implies (`direction: ingress` for an ingress resource). */
  value?: Resolved;
  /** The value the format applies when the property is not written. */
  default?: Resolved;
  as?: ValueShape;
  /**
   * When the property is not written but this other native property is, the value is not the
   * default but unknown (a volume restored from a snapshot is encrypted as the snapshot is).
   */
  unknownIfSet?: { from: string; reason: string };
  /**
   * The canonical value of each native value, where a format says the same fact another way
   * (Terraform's `internal = true` is CloudFormation's `Scheme: internal`): applied after `as`
   * to known values (and each possible value); a value not listed is kept as written.
   */
  translate?: Readonly<Record<string, Resolved>>;
}

export interface ChildSpec {
  kind: string;
  /** Native path of the list whose items become nodes. */
  list: string;
  /** Only items that have this native key (a block device with `Ebs`). */
  when?: string;
  attributes: Record<string, AttributeSpec>;
  /** Known attributes every item gets (`direction: ingress`). */
  fixed?: ResolvedMap;
  /** Canonical attribute that receives a reference to the owning resource. */
  ownerAttribute: string;
  /** What AWS creates whether or not the list describes it: see {@link ImpliedItem}. */
  implied?: ImpliedItem;
}

/**
 * An item AWS creates when the list does not describe it: the root volume of an instance,
 * made from its image. It becomes a node as the item written with no arguments would (the
 * kind's defaults apply), so that leaving the block out and writing it empty are decided alike.
 */
export interface ImpliedItem {
  /** The item it stands for, as written with no arguments (`{}`, `{ Ebs: {} }`). */
  item: ResolvedMap;
  /** Not implied when one of these native paths is set. */
  unless?: string[];
  /**
   * For a list of volumes by device name: not implied when an item names one of these devices
   * (the root device of common images) or a device whose name is not known.
   */
  rootDevices?: readonly string[];
  /** The native path of an item's device name. */
  deviceName?: string;
}

/** Whether the implied item stands for something the list does not already describe. */
function isImplied(implied: ImpliedItem, body: ResolvedMap, items: readonly ListItem[]): boolean {
  // A block list that is empty (a dynamic block over nothing) is not set.
  const set = (v: Resolved) => v !== ABSENT && !(Array.isArray(v) && v.length === 0);
  if (implied.unless?.some((path) => set(getPath(body, path)))) return false;
  if (!implied.rootDevices) return items.length === 0;
  return !items.some(({ item }) => {
    const name = getPath(item, implied.deviceName ?? "");
    return typeof name !== "string" || implied.rootDevices!.includes(name);
  });
}

export interface LinkSpec {
  /** Edge type (the canonical attribute that holds the name). */
  attr: string;
  /** Kind of the node the name refers to, and the attribute of that node that holds its name. */
  kind: string;
  by: string;
}

export interface KindSpec {
  kind: string;
  attributes: Record<string, AttributeSpec>;
  children?: ChildSpec[];
  /** References by literal name (a launch template named in an instance). */
  links?: LinkSpec[];
  /** A fact for the whole scope that this kind's attribute sets (`ebs_encryption_by_default`). */
  fact?: { name: string; attr: string };
}

export interface NativeResource {
  format: SourceFormat;
  scope: string;
  address: string;
  nativeType: string;
  /** The resolved resource body (CloudFormation `Properties`, a Terraform block). */
  body: ResolvedMap;
  /** The body as written, before resolving (CloudFormation), to name the parameter a value came from. */
  written?: unknown;
  /** Document path of the resource and of its body. */
  resourcePath: PropertyPath;
  bodyPath: PropertyPath;
  source: SourceFile;
  /** Set when the resource exists only under a condition that cannot be decided. */
  presence?: Unknown;
  /** Tells apart the count / for_each instances of one address (absent for the first). */
  instance?: string;
  /** The address of this one instance, which findings name (`aws_instance.web[0]`); else `address`. */
  instanceAddress?: string;
  constructPath?: string;
  suppressions?: SuppressionSpec[];
}

export function nodeId(scope: string, address: string, childPath?: PropertyPath): string {
  return childPath ? `${scope}#${address}#${childPath.join("/")}` : `${scope}#${address}`;
}

const PATH_PARTS = new Map<string, readonly (string | number)[]>();

/** `a.0.b` → `["a", 0, "b"]`; the paths come from the kind tables, so each is split once. */
function toPathParts(dotted: string): readonly (string | number)[] {
  let parts = PATH_PARTS.get(dotted);
  if (!parts) PATH_PARTS.set(dotted, (parts = dotted.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p))));
  return parts;
}

function shape(v: Resolved, as: ValueShape | undefined): Resolved {
  if (!as) return v;
  if (as === "item" && v instanceof Unknown && !v.possible) return [v]; // one value, not known yet
  if (as === "json" && v instanceof Unknown && v.decoded !== undefined) return v.decoded; // JSON text with unknown parts
  return mapKnown(v, (x) => {
    switch (as) {
      case "number":
        return typeof x === "string" && x.trim() !== "" && !Number.isNaN(Number(x)) ? Number(x) : x;
      case "boolean":
        return typeof x === "string" && /^(true|false)$/i.test(x) ? x.toLowerCase() === "true" : x;
      case "string":
        return typeof x === "number" || typeof x === "boolean" ? String(x) : x;
      case "protocol":
        return normaliseProtocol(x);
      case "list":
      case "item":
        return Array.isArray(x) ? x : [x];
      case "text":
        return typeof x === "object" && x !== null && !containsUnknown(x) ? JSON.stringify(x) : x;
      case "json":
        return parseJsonText(x);
      case "base64":
        return decodeBase64Text(x);
    }
  });
}

/** `v` with each known value that `table` lists replaced by its canonical value. */
function translated(v: Resolved, table: AttributeSpec["translate"]): Resolved {
  if (!table) return v;
  return mapKnown(v, (x) => (typeof x === "string" || typeof x === "number" || typeof x === "boolean") && Object.hasOwn(table, String(x)) ? table[String(x)]! : x);
}

/** A string holding a JSON object or array, parsed; any other value unchanged. */
function parseJsonText(x: Resolved): Resolved {
  if (typeof x !== "string" || !/^\s*[[{]/.test(x)) return x;
  try {
    return fromJson(JSON.parse(x) as unknown);
  } catch {
    return x;
  }
}

/** Parsed JSON as a resolved value, with prototype-free objects so every key stays an ordinary key. */
function fromJson(v: unknown): Resolved {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === "object") {
    const out = emptyMap();
    for (const [k, x] of Object.entries(v)) out[k] = fromJson(x);
    return out;
  }
  return v as Resolved;
}

/** Base64 (whitespace allowed) of valid UTF-8 text, decoded; any other value unchanged. */
function decodeBase64Text(x: Resolved): Resolved {
  if (typeof x !== "string") return x;
  const compact = x.replace(/\s+/g, "");
  if (compact === "" || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return x;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(compact, "base64"));
  } catch {
    return x;
  }
}

const PROTOCOL_NUMBERS: Record<string, string> = lookupTable({ "-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" });

/** `-1`, `all`, `6`, `"006"`, `TCP` → `all`, `all`, `tcp`, `tcp`, `tcp`: one spelling per protocol (other numbers as plain decimals). */
export function normaliseProtocol(x: Resolved): Resolved {
  if (typeof x !== "string" && typeof x !== "number") return x;
  const trimmed = String(x).trim().toLowerCase();
  const text = /^[+-]?\d+$/.test(trimmed) ? String(Number(trimmed)) : trimmed;
  return PROTOCOL_NUMBERS[text] ?? text;
}

interface MappedAttributes {
  attributes: ResolvedMap;
  sources: Record<string, PropertyPath>;
}

/** One attribute of a kind table, with its paths split once. */
interface AttributePlan {
  name: string;
  /** The canonical name split at its dots (`metadata.http_tokens`). */
  nameParts: string[];
  spec: AttributeSpec;
  froms: string[];
}

const PLANS = new WeakMap<Record<string, AttributeSpec>, AttributePlan[]>();

/** The attributes of a table in order, prepared once per table (the tables are read for every resource). */
function planOf(specs: Record<string, AttributeSpec>): AttributePlan[] {
  let plan = PLANS.get(specs);
  if (!plan) {
    plan = Object.entries(specs).map(([name, spec]) => ({
      name,
      nameParts: name.split("."),
      spec,
      froms: spec.from === undefined ? [] : Array.isArray(spec.from) ? spec.from : [spec.from],
    }));
    PLANS.set(specs, plan);
  }
  return plan;
}

const NATIVE_NAMES = new WeakMap<Record<string, AttributeSpec>, Readonly<Record<string, string>>>();

/** Canonical attribute → the native path it is read from first, per table (shared by every node of the table). */
function nativeNamesOf(specs: Record<string, AttributeSpec>): Readonly<Record<string, string>> {
  let names = NATIVE_NAMES.get(specs);
  if (!names) {
    const table = emptyMap<string>();
    for (const { name, froms } of planOf(specs)) if (froms[0] !== undefined) table[name] = froms[0];
    NATIVE_NAMES.set(specs, (names = table));
  }
  return names;
}

/**
 * Reads the canonical attributes of one body (a resource or one item of a child list).
 * `writtenAt`, when given, is where every attribute is said to come from (a possible value
 * whose place in the source is not known: the list that holds it).
 */
function mapAttributes(body: Resolved, bodyPath: PropertyPath, specs: Record<string, AttributeSpec>, writtenAt?: PropertyPath): MappedAttributes {
  const attributes = emptyMap();
  const sources: Record<string, PropertyPath> = emptyMap<PropertyPath>();
  for (const { name, nameParts, spec, froms } of planOf(specs)) {
    if (spec.value !== undefined) {
      setDotted(attributes, nameParts, spec.value);
      continue;
    }
    let value: Resolved = ABSENT;
    for (const from of froms) {
      const v = getPath(body, from);
      if (v !== ABSENT) {
        value = v;
        sources[name] = writtenAt ?? [...bodyPath, ...toPathParts(from)];
        break;
      }
    }
    const inherited = value === ABSENT && spec.unknownIfSet ? getPath(body, spec.unknownIfSet.from) : ABSENT;
    if (inherited !== ABSENT) {
      value = new Unknown(spec.unknownIfSet!.reason.replace("{value}", typeof inherited === "string" ? inherited : "it names"));
      sources[name] = writtenAt ?? [...bodyPath, ...toPathParts(spec.unknownIfSet!.from)];
    } else if (value === ABSENT && spec.default !== undefined) value = spec.default;
    else if (spec.default !== undefined && isUnknown(value) && value.possible?.includes(ABSENT)) {
      value = possibleValues(value.possible.map((p) => (p === ABSENT ? spec.default! : p)), value.reason);
    }
    value = translated(shape(value, spec.as), spec.translate);
    if (value !== ABSENT) setDotted(attributes, nameParts, value);
  }
  return { attributes, sources };
}

function setDotted(target: ResolvedMap, parts: readonly string[], value: Resolved): void {
  let cur = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const next = cur[part];
    if (!isMap(next)) cur[part] = emptyMap();
    cur = cur[part] as ResolvedMap;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** One item of a child list, with its path below the list and, for a possible value, its choice. */
interface ListItem {
  item: Resolved;
  suffix: (string | number)[];
  choice?: { at: (string | number)[]; option: number; options: number; reason: string; sure: boolean };
}

/**
 * The items of a child list: known items, or one unknown. The possible values of an
 * undecidable list, and of an undecidable item, are expanded: each possible item is an item
 * of its own, at the path where it is written (the branch of an `Fn::If`), tagged with its
 * choice so that rules can decide over all the possible values together.
 */
function listItems(list: Resolved): ListItem[] {
  if (list === ABSENT) return [];
  if (Array.isArray(list)) return list.flatMap((item, index) => knownListItem(item, [index], true));
  if (isMap(list)) return [{ item: list, suffix: [] }]; // a single nested block written as an object
  if (list instanceof Unknown) {
    if (!list.possible) return [{ item: list, suffix: [] }];
    const paths = optionPaths(list);
    return list.possible.flatMap((option, k) => {
      const choice = { at: [], option: k, options: list.possible!.length, reason: list.reason, sure: true };
      if (Array.isArray(option)) {
        return option.flatMap((item, index) =>
          knownListItem(item, [...paths[k]!, index], false).map((x) => ({ ...x, choice: x.choice ? { ...x.choice, ...choice, sure: false } : choice })),
        );
      }
      return option === ABSENT ? [] : [{ item: option, suffix: paths[k]!, choice }];
    });
  }
  return [];
}

/** An item of a list that is written as a list: itself, or its possible values (an item under `Fn::If`). */
function knownListItem(item: Resolved, suffix: (string | number)[], top: boolean): ListItem[] {
  if (!(item instanceof Unknown) || !item.possible) return [{ item, suffix }];
  const paths = optionPaths(item);
  const options = item.possible.length;
  return item.possible.flatMap((option, k) =>
    option === ABSENT ? [] : [{ item: option, suffix: [...suffix, ...paths[k]!], choice: { at: suffix, option: k, options, reason: item.reason, sure: top } }],
  );
}

/** Where each possible value is written; `possible-<n>` (never shown: findings point at the list) when the source does not say, or two say the same. */
function optionPaths(v: Unknown): (string | number)[][] {
  const written = v.possible!.map((_p, k) => v.possiblePaths?.[k]);
  const distinct = new Set(written.map((p) => (p ? JSON.stringify(p) : "")));
  const usable = written.every((p) => p !== undefined) && distinct.size === written.length;
  return written.map((p, k) => (usable ? [...p!] : [`${UNWRITTEN}${k + 1}`]));
}

/** The path part of a possible value whose place in the source is not known (keeps node ids apart). */
const UNWRITTEN = "possible-";

/** The part of a child path that is written in the source: up to a possible value whose place is not known. */
export function writtenPart(path: PropertyPath): PropertyPath {
  const cut = path.findIndex((p) => typeof p === "string" && p.startsWith(UNWRITTEN));
  return cut < 0 ? path : path.slice(0, cut);
}

/**
 * One node of a resource. Every node gets the same properties in the same order, optional
 * ones last, so that the engine sees one shape of object (building them by spreading a base
 * object with optional parts made many shapes and was a tenth of the adapters' time).
 */
function makeNode(
  res: NativeResource,
  id: string,
  kind: string,
  attributes: ResolvedMap,
  attributeSources: Record<string, PropertyPath>,
  extra: { childPath?: PropertyPath; native?: GraphNode["native"]; specs?: Record<string, AttributeSpec>; written?: unknown },
): GraphNode {
  const node: GraphNode = {
    id,
    kind,
    nativeType: res.nativeType,
    format: res.format,
    scope: res.scope,
    address: res.instanceAddress ?? res.address,
    attributes,
    attributeSources,
    resourcePath: res.resourcePath,
    source: res.source,
  };
  if (extra.childPath) node.childPath = extra.childPath;
  if (extra.native) node.native = extra.native;
  if (extra.specs) node.nativeNames = nativeNamesOf(extra.specs);
  if (extra.written !== undefined) node.written = extra.written;
  if (res.presence) node.presence = res.presence;
  if (res.constructPath) node.constructPath = res.constructPath;
  if (res.suppressions?.length) node.suppressions = res.suppressions;
  return node;
}

/** The part of a body as written at a path (a child item), if the path exists in it. */
export function writtenAt(written: unknown, path: readonly (string | number)[]): unknown {
  let raw = written;
  for (const part of path) raw = raw !== null && typeof raw === "object" ? (raw as Record<string | number, unknown>)[part] : undefined;
  return raw;
}

/** Builds the nodes of one native resource: the resource itself and its child nodes. */
export function mapResource(res: NativeResource, spec: KindSpec | undefined): GraphNode[] {
  const native = { body: res.body, bodyPath: res.bodyPath };
  const idAddress = res.instance === undefined ? res.address : res.address + res.instance;
  if (!spec) {
    // No canonical kind: the node keeps its native type and native properties.
    const sources = emptyMap<PropertyPath>();
    for (const key of Object.keys(res.body)) sources[key] = [...res.bodyPath, key];
    return [makeNode(res, nodeId(res.scope, idAddress), res.nativeType, res.body, sources, { native })];
  }
  const own = mapAttributes(res.body, res.bodyPath, spec.attributes);
  const nodes: GraphNode[] = [makeNode(res, nodeId(res.scope, idAddress), spec.kind, own.attributes, own.sources, { native, specs: spec.attributes, written: res.written })];
  if (!spec.children) return nodes;
  const relBody = res.bodyPath.slice(res.resourcePath.length);
  let ownerRef: Unknown | undefined;
  for (const child of spec.children) {
    const listParts = toPathParts(child.list);
    const list = getPath(res.body, child.list);
    const items = listItems(list);
    // Only a list that is known: an unknown one may well describe the item.
    const all: (ListItem & { implied?: true })[] = items;
    if (child.implied && (list === ABSENT || Array.isArray(list)) && isImplied(child.implied, res.body, items)) all.push({ item: child.implied.item, suffix: [], implied: true });
    for (const { item, suffix, choice, implied: isImpliedItem } of all) {
      // getPath follows possible values: an item that lacks the key in every one of them is skipped.
      if (child.when && getPath(item, child.when) === ABSENT) continue;
      const childPath = [...relBody, ...listParts, ...suffix];
      const shown = writtenPart(childPath);
      const listPlace = shown.length < childPath.length ? [...res.resourcePath, ...shown] : undefined;
      const mapped = mapAttributes(item, [...res.resourcePath, ...childPath], child.attributes, listPlace);
      const attributes = mapped.attributes;
      if (child.fixed) for (const [k, v] of Object.entries(child.fixed)) attributes[k] = v;
      ownerRef ??= new Unknown(`the id of ${res.instanceAddress ?? res.address} is known only after deployment`, { ref: { target: idAddress } });
      attributes[child.ownerAttribute] = ownerRef;
      const node = makeNode(res, nodeId(res.scope, idAddress, childPath), child.kind, attributes, mapped.sources, { childPath, specs: child.attributes, written: writtenAt(res.written, [...listParts, ...suffix]) });
      if (choice) {
        const { at, ...rest } = choice;
        node.alternative = { path: [...relBody, ...listParts, ...at], ...rest };
      }
      if (isImpliedItem) node.implied = true;
      nodes.push(node);
    }
  }
  return nodes;
}
