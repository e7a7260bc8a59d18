/** Built-in functions on lists, sets and maps. */
import { ABSENT, type Resolved, Unknown, combine, emptyMap, firstUnknown, hasKey, isMap, sameValue } from "../../../../values/value.js";
import { EvalError, MAX_VALUE_DEPTH, NeedUnknown, TOO_COMPLEX, TooComplex } from "../guards.js";
import { type FunctionSpec, chars, dedupe, deepKnown, int, known, list, map, num, str, strings } from "./spec.js";
import { compareText, describe, toBool } from "../conversions.js";

export const COLLECTION_FUNCTIONS: Record<string, FunctionSpec> = {
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
};
