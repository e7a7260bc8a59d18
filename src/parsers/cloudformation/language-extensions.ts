/**
 * The `AWS::LanguageExtensions` transform, applied offline: it is deterministic, so parapet
 * expands `Fn::ForEach` loops (in Resources, Outputs, Conditions and inside a resource's
 * Properties) the way CloudFormation does before a deployment. The other functions of the
 * transform (`Fn::Length`, `Fn::ToJsonString`, `Fn::FindInMap` with `DefaultValue`) are
 * evaluated by the intrinsic resolver.
 *
 * Each expanded entry keeps the document path of the fragment it was made from, so findings
 * point at the lines inside the loop. A loop whose collection cannot be known stands for one
 * entry, under the key as written (`Bucket${Name}`), whose identifier is unknown.
 */
import type { PropertyPath } from "../../source/location.js";
import { checkDeadline } from "../../limits/budget.js";
import { fixedCap } from "../../limits/evaluation.js";
import { emptyMap, isRecord, Unknown, type Resolved } from "../../values/value.js";
import type { Diagnostic } from "../../source/document.js";

export const FOR_EACH_PREFIX = "Fn::ForEach::";

/** More items than CloudFormation lets one template create resources (500): not expanded. */
const MAX_ITEMS = 500;

/** One entry of a section (or of a map inside a resource) after expansion. */
export interface ExpandedEntry {
  /** The key CloudFormation computes: a logical id, an output or condition name, a property. */
  key: string;
  /** The fragment with the loop identifiers replaced. */
  value: unknown;
  /** Where the fragment is written in the template. */
  path: PropertyPath;
  /** Set when the entry stands for every item of a collection that cannot be known. */
  unknown?: Unknown;
  /** Set when every such collection is known to have items (it has more than parapet expands). */
  nonEmpty?: true;
}

/** The items that stand for a collection too long to expand: it has items, they are just not told apart. */
const TOO_MANY = new WeakSet<Unknown>();

/** Resolves a loop's collection (a literal list, a `Ref` to a list parameter, `Fn::Split`...). */
export type CollectionOf = (raw: unknown) => Resolved;

export interface Expansion {
  entries: ExpandedEntry[];
  diagnostics: { message: string; path: PropertyPath }[];
}

export function isForEachKey(key: string): boolean {
  return key.startsWith(FOR_EACH_PREFIX);
}

/** Expands the loops among the entries of a section (`Resources`, `Outputs`, `Conditions`). */
export function expandSection(section: Record<string, unknown>, sectionPath: PropertyPath, collectionOf: CollectionOf): Expansion {
  const out: Expansion = { entries: [], diagnostics: [] };
  for (const [key, value] of Object.entries(section)) {
    if (isForEachKey(key)) expandLoop(key, value, [...sectionPath, key], collectionOf, [], out);
    else out.entries.push({ key, value, path: [...sectionPath, key] });
  }
  return out;
}

interface Loop {
  identifier: string;
  collection: unknown;
  fragment: Record<string, unknown>;
}

function readLoop(raw: unknown): Loop | undefined {
  if (!Array.isArray(raw) || raw.length !== 3) return undefined;
  const [identifier, collection, fragment] = raw as [unknown, unknown, unknown];
  if (typeof identifier !== "string" || !isRecord(fragment)) return undefined;
  return { identifier, collection, fragment };
}

/** The items of a loop: known strings, or one unknown standing for them all. */
function loopItems(name: string, collection: Resolved): Resolved[] | Unknown {
  const loop = name.slice(FOR_EACH_PREFIX.length);
  if (collection instanceof Unknown) {
    return new Unknown(`the collection of the loop ${loop} cannot be known: ${collection.reason}`);
  }
  if (!Array.isArray(collection)) return new Unknown(`the collection of the loop ${loop} is not a list`);
  if (collection.length > MAX_ITEMS) {
    const capped = new Unknown(`the collection of the loop ${loop} has ${collection.length} items, more than the ${MAX_ITEMS} parapet expands ${fixedCap("Fn::ForEach items")}`);
    TOO_MANY.add(capped);
    return capped;
  }
  const unknownItem = collection.find((item) => item instanceof Unknown);
  if (unknownItem instanceof Unknown) return new Unknown(`an item of the collection of the loop ${loop} cannot be known: ${unknownItem.reason}`);
  return collection;
}

/** Identifier → item of the loops an entry is inside, outermost first. */
type Bindings = readonly (readonly [id: string, item: Resolved])[];

function bindAll(value: unknown, bindings: Bindings): unknown {
  return bindings.reduce((v, [id, item]) => replaceIdentifier(v, id, item), value);
}

function bindKey(key: string, bindings: Bindings): string {
  return bindings.reduce((k, [id, item]) => replaceInText(k, id, item, true), key);
}

/**
 * Expands one loop as written; `bindings` are the items of the loops around it. Paths
 * follow the keys as written, so that nested entries are found in the template.
 */
function expandLoop(name: string, raw: unknown, path: PropertyPath, collectionOf: CollectionOf, bindings: Bindings, out: Expansion): void {
  const loop = readLoop(raw);
  if (!loop) {
    out.diagnostics.push({ message: `${name} must be a list of an identifier, a collection and a map of output keys to fragments`, path });
    return;
  }
  const items = loopItems(name, collectionOf(bindAll(loop.collection, bindings)));
  const fragmentPath = [...path, 2];
  for (const item of items instanceof Unknown ? [items] : items) {
    checkDeadline();
    const inner: Bindings = [...bindings, [loop.identifier, item]];
    const unknown = inner.find(([, i]) => i instanceof Unknown)?.[1] as Unknown | undefined;
    const nonEmpty = unknown !== undefined && inner.every(([, i]) => !(i instanceof Unknown) || TOO_MANY.has(i));
    for (const [key, value] of Object.entries(loop.fragment)) {
      if (isForEachKey(key)) expandLoop(key, value, [...fragmentPath, key], collectionOf, inner, out);
      else out.entries.push({ key: bindKey(key, inner), value: bindAll(value, inner), path: [...fragmentPath, key], ...(unknown ? { unknown } : {}), ...(nonEmpty ? { nonEmpty } : {}) });
    }
  }
}

/** `&{Id}` stands for the item with every character that is not a letter or digit removed. */
function alphanumeric(item: Resolved): string {
  return itemText(item).replace(/[^A-Za-z0-9]/g, "");
}

function itemText(item: Resolved): string {
  return typeof item === "string" ? item : JSON.stringify(item);
}

/**
 * Replaces `${Id}` and `&{Id}` in a key or string. With an unknown item a key stays as
 * written (`Bucket${Name}`), and a string that mentions the identifier becomes the unknown.
 */
function replaceInText(text: string, id: string, item: Resolved, isKey: boolean): string;
function replaceInText(text: string, id: string, item: Resolved, isKey: false): string | Unknown;
function replaceInText(text: string, id: string, item: Resolved, isKey: boolean): string | Unknown {
  const plain = "${" + id + "}";
  const stripped = "&{" + id + "}";
  if (!text.includes(plain) && !text.includes(stripped)) return text;
  if (item instanceof Unknown) return isKey ? text : item;
  return text.split(plain).join(itemText(item)).split(stripped).join(alphanumeric(item));
}

/** The fragment with `Ref: Id`, `${Id}` and `&{Id}` replaced by the item (keys included). */
export function replaceIdentifier(value: unknown, id: string, item: Resolved): unknown {
  if (typeof value === "string") return replaceInText(value, id, item, false);
  if (Array.isArray(value)) return value.map((v) => replaceIdentifier(v, id, item));
  if (!isRecord(value) || value instanceof Unknown) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "Ref" && value["Ref"] === id) return item;
  const out = emptyMap<unknown>();
  for (const key of keys) out[replaceInText(key, id, item, true)] = replaceIdentifier(value[key], id, item);
  return out;
}

/**
 * Expands the loops written inside a fragment (a resource's Properties): each
 * `Fn::ForEach::` key of a map is replaced by the entries it produces.
 */
export function expandInFragment(value: unknown, path: PropertyPath, collectionOf: CollectionOf, diagnostics: Diagnostic[], locate: (p: PropertyPath) => { line: number; column: number } | undefined): unknown {
  if (Array.isArray(value)) return value.map((v, i) => expandInFragment(v, [...path, i], collectionOf, diagnostics, locate));
  if (!isRecord(value) || value instanceof Unknown) return value;
  const keys = Object.keys(value);
  if (!keys.some((k) => isForEachKey(k)) && !keys.some((k) => isRecord(value[k]) || Array.isArray(value[k]))) return value;
  const out = emptyMap<unknown>();
  for (const key of keys) {
    if (!isForEachKey(key)) {
      out[key] = expandInFragment(value[key], [...path, key], collectionOf, diagnostics, locate);
      continue;
    }
    const expansion: Expansion = { entries: [], diagnostics: [] };
    expandLoop(key, value[key], [...path, key], collectionOf, [], expansion);
    for (const d of expansion.diagnostics) diagnostics.push(located(d, locate));
    for (const entry of expansion.entries) out[entry.key] = expandInFragment(entry.value, entry.path, collectionOf, diagnostics, locate);
  }
  return out;
}

/** A diagnostic of the expansion at the position of its path. */
export function located(d: { message: string; path: PropertyPath }, locate: (p: PropertyPath) => { line: number; column: number } | undefined): Diagnostic {
  const at = locate(d.path);
  return { message: d.message, line: at?.line ?? 1, column: at?.column ?? 1 };
}
