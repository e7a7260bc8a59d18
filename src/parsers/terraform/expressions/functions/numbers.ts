/** Built-in functions on numbers, and the type conversions. */
import { EvalError } from "../guards.js";
import { type FunctionSpec, int, known, num, str } from "./spec.js";
import { NUMBER_TEXT, describe, scalarText, toBool, typeName } from "../conversions.js";

export const NUMBER_FUNCTIONS: Record<string, FunctionSpec> = {
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
};
