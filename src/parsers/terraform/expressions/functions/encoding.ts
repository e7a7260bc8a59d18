/** Built-in functions that encode and decode (JSON, base64, URLs). */
import { ABSENT, type Resolved, Unknown, emptyMap, firstUnknown, mapKnown, refsIn } from "../../../../values/value.js";
import { EvalError, MAX_VALUE_DEPTH, NeedUnknown, TOO_COMPLEX, TooComplex } from "../guards.js";
import { type FunctionSpec, str } from "./spec.js";
import { compareText, formatNumber } from "../conversions.js";

export const ENCODING_FUNCTIONS: Record<string, FunctionSpec> = {
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
};

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

export function jsonEncode(v: Resolved, depth = 0): string {
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
