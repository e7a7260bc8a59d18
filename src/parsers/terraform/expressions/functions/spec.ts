/** How a built-in function is declared, and the argument readers the function tables share. */
import { ABSENT, type Resolved, type ResolvedMap, Unknown, firstUnknown, isMap, sameValue } from "../../../../values/value.js";
import { EvalError, NeedUnknown } from "../guards.js";
import { describe, scalarText, toNumber, typeName } from "../conversions.js";

export interface Fx {
  charge(n: number): void;
  name: string;
}
export interface FunctionSpec {
  /** Minimum and maximum (undefined = any) number of arguments. */
  arity: [number, number?];
  /** Lazy functions receive unknown arguments as they are; others only known ones. */
  lazy?: boolean;
  fn(args: Resolved[], fx: Fx): Resolved;
}

export function known(v: Resolved): Resolved {
  if (v instanceof Unknown) throw new NeedUnknown(v);
  return v === ABSENT ? null : v;
}

export function deepKnown(v: Resolved): Resolved {
  const u = firstUnknown(v);
  if (u) throw new NeedUnknown(u);
  return v === ABSENT ? null : v;
}

export function str(v: Resolved, what = "the argument"): string {
  const x = known(v);
  if (typeof x === "string") return x;
  if (typeof x === "number" || typeof x === "boolean") return scalarText(x);
  if (x === null) throw new EvalError(`${what} is null`);
  throw new EvalError(`${what} must be a string, not a ${typeName(x)}`);
}

export function num(v: Resolved, what = "the argument"): number {
  const x = known(v);
  if (x === null) throw new EvalError(`${what} is null`);
  return toNumber(x, what);
}

export function int(v: Resolved, what = "the argument"): number {
  const n = num(v, what);
  if (!Number.isInteger(n)) throw new EvalError(`${what} must be a whole number, not ${n}`);
  return n;
}

export function list(v: Resolved, what = "the argument"): Resolved[] {
  const x = known(v);
  if (Array.isArray(x)) return x;
  if (x === null) throw new EvalError(`${what} is null`);
  throw new EvalError(`${what} must be a list, not ${describe(x)}`);
}

export function map(v: Resolved, what = "the argument"): ResolvedMap {
  const x = known(v);
  if (isMap(x)) return x;
  if (x === null) throw new EvalError(`${what} is null`);
  throw new EvalError(`${what} must be a map, not ${describe(x)}`);
}

export function strings(items: Resolved[]): string[] {
  return items.map((item) => str(item, "a list element"));
}

export function dedupe(items: Resolved[], fx: Fx): Resolved[] {
  const out: Resolved[] = [];
  fx.charge(items.length);
  for (const item of items) {
    const k = deepKnown(item);
    if (!out.some((o) => sameValue(o, k))) out.push(k);
  }
  return out;
}

export function chars(s: string): string[] {
  return Array.from(s);
}
