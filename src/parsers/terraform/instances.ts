/**
 * The instances of a block with `count` or `for_each`: one by one while they are known and
 * few, else one instance standing for all of them, with the bindings each instance sees.
 */
import { ABSENT, type Resolved, Unknown, hasKey, isMap, possibleValues, sameValue } from "../../values/value.js";
import { activeLimits } from "../../limits/budget.js";
import { settableCap } from "../../limits/evaluation.js";

export type Bindings = Map<string, Resolved>;

/** One instance of a counted or for_each block (a resource, a data source or a module call). */
export interface BlockInstance {
  bindings: Bindings;
  /** The instance key as Terraform writes it in addresses (`[0]`, `["ssh"]`); `""` when the block is evaluated once for all of its instances. */
  key: string;
  /** The key as a reference reads it (`0`, `ssh`), for `module.web["ssh"]`; absent when the block is evaluated once. */
  id?: string;
  /** Set when the instance may not be created at all. */
  presence?: Unknown;
}

/**
 * The single instance of a block evaluated once for all of its instances, with `count` or
 * `each` bound to unknowns that say why the instances are not told apart.
 */
export function onceForAll(presence?: Unknown, bindings: Bindings = new Map()): BlockInstance {
  return { bindings, key: "", ...(presence ? { presence } : {}) };
}

/** A count as a number of instances: a whole number (or its text); undefined otherwise. */
export function countNumber(count: Resolved): number | undefined {
  if (typeof count === "number") return Number.isInteger(count) && count >= 0 ? count : undefined;
  return typeof count === "string" && /^\d+$/.test(count) ? Number(count) : undefined;
}

export function countedInstance(i: number, presence?: Unknown): BlockInstance {
  return { bindings: new Map<string, Resolved>([["count", { index: i }]]), key: `[${i}]`, id: String(i), ...(presence ? { presence } : {}) };
}

/** Why the instances of a block are evaluated once for all: there are more than the limit. */
export function tooManyInstances(address: string, has: string): string {
  const max = activeLimits().maxInstances;
  return `${address} ${has} instances, more than parapet evaluates one by one ${settableCap("maxInstances", max)}`;
}

/** Different values of each.value that a block evaluated once for all still tells apart (as possible values). */
const MAX_EACH_VALUES = 16;

/**
 * `each` of a for_each evaluated once for all of its (too many) instances: the key is not
 * known; the value is one of the collection's values when they are few (often all alike),
 * so that what depends only on the value is still decided.
 */
export function cappedEach(values: Resolved[], reason: string): Bindings {
  const why = `each.value is not known: ${reason}`;
  const distinct: Resolved[] = [];
  for (const v of values) {
    if (v instanceof Unknown || distinct.length > MAX_EACH_VALUES) break;
    if (!distinct.some((d) => sameValue(d, v))) distinct.push(v);
  }
  const few = distinct.length <= MAX_EACH_VALUES && values.every((v) => !(v instanceof Unknown)) && values.length > 0;
  const value = few ? possibleValues(distinct, why) : new Unknown(why);
  return new Map<string, Resolved>([["each", { key: new Unknown(`each.key is not known: ${reason}`), value }]]);
}

/** `count.index` for a block evaluated once: unknown, for the reason given. */
export function unknownIndex(reason: string): Bindings {
  return new Map<string, Resolved>([["count", { index: new Unknown(`count.index is not known: ${reason}`) }]]);
}

/** `each.key` and `each.value` of a for_each whose collection cannot be known. */
export function unknownEach(each: Resolved, address: string): Bindings {
  const why = each instanceof Unknown ? each.reason : "it is not a collection";
  const reason = (name: string) => new Unknown(`each.${name} is not known: the for_each of ${address} cannot be computed: ${why}`);
  return new Map<string, Resolved>([["each", { key: reason("key"), value: reason("value") }]]);
}

/**
 * The instances of a count that takes one of a few known values (`var.on ? length(var.rules) : 0`):
 * instance `[i]` exists when the count is more than i, each evaluated with its own
 * `count.index`. A count that is 0 or 1 keeps the block's plain address, as an undecided
 * "create or not" switch always has: the one instance it may have is `count.index` 0.
 */
export function possibleCountInstances(possible: number[], address: string, why: string): BlockInstance[] | undefined {
  const most = Math.max(...possible);
  if (most === 0) return undefined;
  const presence = (i: number) =>
    possible.every((c) => c > i) ? undefined : new Unknown(`${address}${most > 1 ? `[${i}]` : ""} is created only if its count is ${i === 0 ? "not 0" : `more than ${i}`}, which cannot be decided: ${why}`);
  if (most === 1) return [{ ...countedInstance(0, presence(0)), key: "", id: undefined }];
  if (most > activeLimits().maxInstances) return [onceForAll(presence(0), unknownIndex(tooManyInstances(address, `may have ${most}`)))];
  return Array.from({ length: most }, (_, i) => countedInstance(i, presence(i)));
}

/**
 * The instances of a for_each whose collection is one of a few known collections
 * (`var.on ? local.rules : {}`): one per key any of them has, each evaluated with its own
 * `each`; an instance whose key is not in every possible collection may not exist.
 * Undefined when a possible value is not a collection or there are too many keys.
 */
export function possibleForEachInstances(each: Resolved, address: string): BlockInstance[] | undefined {
  if (!(each instanceof Unknown) || !each.possible) return undefined;
  const options = each.possible.map((p) => (p === null || p === ABSENT ? [] : collectionEntries(p)));
  if (options.some((o) => o === undefined)) return undefined;
  const byKey = new Map<string, { key: Resolved; values: Resolved[] }>();
  for (const option of options as [Resolved, Resolved][][]) {
    for (const [k, v] of option) {
      const id = String(k);
      const seen = byKey.get(id) ?? { key: k, values: [] };
      seen.values.push(v);
      byKey.set(id, seen);
    }
  }
  if (byKey.size === 0) return undefined;
  if (byKey.size > activeLimits().maxInstances) {
    const values = [...byKey.values()].flatMap((k) => k.values);
    return [onceForAll(unknownForEachPresence(each, address), cappedEach(values, tooManyInstances(address, `may have ${byKey.size}`)))];
  }
  return [...byKey].map(([id, { key, values }]) => {
    const everywhere = values.length === options.length;
    const presence = new Unknown(`${address}[${JSON.stringify(id)}] is created only if its for_each has the key ${JSON.stringify(id)}, which cannot be decided: ${each.reason}`);
    return {
      bindings: new Map<string, Resolved>([["each", { key, value: possibleValues(values, each.reason) }]]),
      key: `[${JSON.stringify(id)}]`,
      id,
      ...(everywhere ? {} : { presence }),
    };
  });
}

/**
 * A for_each over a collection that cannot be known is evaluated once: what does not depend
 * on `each` holds for every instance, so it is decided. Only a collection that may be empty
 * (a possible value is empty: `var.on ? var.rules : {}`) leaves the resource's existence open.
 */
export function unknownForEachPresence(each: Resolved, address: string): Unknown | undefined {
  if (!(each instanceof Unknown)) return new Unknown(`${address} has a for_each that is not a collection`);
  const mayBeEmpty = each.possible?.some((p) => p === ABSENT || p === null || collectionEntries(p)?.length === 0);
  return mayBeEmpty ? new Unknown(`${address} has one instance per element of for_each, which may be empty: ${each.reason}`) : undefined;
}

/**
 * Whether the part after `TYPE.NAME` of a reference is an instance key (`[0]`, `[*]`,
 * `["k"]`) rather than an attribute. A for_each resource is a map of its instances, so
 * whatever follows its name is a key (`.k` and `["k"]` are the same in HCL).
 */
export function isInstanceKey(part: string | number, body: Record<string, unknown>): boolean {
  if (hasKey(body, "for_each")) return true;
  return hasKey(body, "count") && (typeof part === "number" || /^\d+$/.test(part) || part === "*");
}

/** The key/value pairs a for_each or dynamic block iterates over; undefined when unknown. */
export function collectionEntries(v: Resolved): [Resolved, Resolved][] | undefined {
  if (Array.isArray(v)) {
    // A set iterates with each.key = each.value; a list (in dynamic blocks) with its index.
    return v.map((item, i) => [typeof item === "string" ? item : i, item]);
  }
  if (isMap(v)) return Object.entries(v);
  if (v instanceof Unknown && v.possible) {
    const options = v.possible.map(collectionEntries);
    if (options.every((o) => o !== undefined && o.length === options[0]!.length)) {
      return options[0]!.map(([k], i) => [k, possibleValues(options.map((o) => o![i]![1]), v.reason)]);
    }
  }
  return undefined;
}
