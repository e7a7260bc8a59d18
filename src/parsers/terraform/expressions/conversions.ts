/** Terraform's conversions between values and text, and how values are named in messages. */
import { ABSENT, type Resolved, Unknown, isMap } from "../../../values/value.js";
import { EvalError, NeedUnknown } from "./guards.js";

export function quote(source: string): string {
  const text = JSON.stringify(source);
  return text.length > 100 ? text.slice(0, 96) + '..."' : text;
}

/** Terraform computes with arbitrary precision: drop binary noise such as 0.1 + 0.2 = 0.30000000000000004. */
export function tidy(n: number): number {
  return Number.isInteger(n) || !Number.isFinite(n) ? n : Number(n.toPrecision(15));
}

export function indexKey(k: Resolved): string | number {
  if (typeof k === "number" || typeof k === "string") return k;
  if (typeof k === "boolean") return String(k);
  if (k === null || k === ABSENT) throw new EvalError("an index is null");
  throw new EvalError(`a ${typeName(k)} cannot be used as an index`);
}

export function describeKey(key: string | number, byName: boolean): string {
  return byName ? `the attribute "${key}"` : `the element [${JSON.stringify(key)}]`;
}

export function typeName(v: Resolved): string {
  if (v === null || v === ABSENT) return "null value";
  if (Array.isArray(v)) return "list";
  if (v instanceof Unknown) return "unknown value";
  if (isMap(v)) return "map";
  return typeof v;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Terraform's rendering of a number (integers without exponent, floats without binary noise). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return String(Number(n.toPrecision(15)));
}

export function scalarText(v: string | number | boolean): string {
  return typeof v === "number" ? formatNumber(v) : String(v);
}

export function templateText(v: Resolved): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return scalarText(v);
  if (v === null || v === ABSENT) throw new EvalError("a null value cannot be part of a string template");
  if (v instanceof Unknown) throw new NeedUnknown(v);
  throw new EvalError(`a ${typeName(v)} cannot be part of a string template`);
}

export function toBool(v: Resolved, what: string): boolean | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new EvalError(`${what} must be a bool, not ${describe(v)}`);
}

export const NUMBER_TEXT = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function toNumber(v: Resolved, what: string): number {
  if (v instanceof Unknown) throw new NeedUnknown(v);
  if (typeof v === "number") return v;
  if (typeof v === "string" && NUMBER_TEXT.test(v.trim())) return Number(v.trim());
  throw new EvalError(`${what} must be numbers, not ${describe(v)}`);
}

export function describe(v: Resolved): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 37) + "..." : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return `a ${typeName(v)}`;
}
