/** Built-in functions on strings. */
import { type Resolved } from "../../../../values/value.js";
import { EvalError } from "../guards.js";
import { type FunctionSpec, chars, int, list, str, strings } from "./spec.js";
import { compileRegex, expandReplacement, regexResult } from "./regex.js";
import { format } from "./format.js";

export const STRING_FUNCTIONS: Record<string, FunctionSpec> = {
  format: { arity: [1], fn: (args, fx) => format(str(args[0]!, "the format"), args.slice(1), fx) },
  join: {
    arity: [2],
    fn: ([sep, ...lists], fx) => {
      const separator = str(sep!, "the separator");
      const items: string[] = [];
      for (const l of lists) {
        const values = list(l);
        fx.charge(values.length);
        items.push(...strings(values));
      }
      return items.join(separator);
    },
  },
  split: {
    arity: [2, 2],
    fn: ([sep, s]) => {
      const separator = str(sep!, "the separator");
      const text = str(s!);
      if (text === "") return [""];
      return separator === "" ? chars(text) : text.split(separator);
    },
  },
  lower: { arity: [1, 1], fn: ([s]) => str(s!).toLowerCase() },
  upper: { arity: [1, 1], fn: ([s]) => str(s!).toUpperCase() },
  title: { arity: [1, 1], fn: ([s]) => str(s!).replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()) },
  trimspace: { arity: [1, 1], fn: ([s]) => str(s!).replace(/^\s+|\s+$/gu, "") },
  trim: {
    arity: [2, 2],
    fn: ([s, cut]) => {
      const set = new Set(chars(str(cut!)));
      const c = chars(str(s!));
      let a = 0;
      let b = c.length;
      while (a < b && set.has(c[a]!)) a++;
      while (b > a && set.has(c[b - 1]!)) b--;
      return c.slice(a, b).join("");
    },
  },
  trimprefix: {
    arity: [2, 2],
    fn: ([s, p]) => {
      const text = str(s!);
      const prefix = str(p!);
      return text.startsWith(prefix) ? text.slice(prefix.length) : text;
    },
  },
  trimsuffix: {
    arity: [2, 2],
    fn: ([s, p]) => {
      const text = str(s!);
      const suffix = str(p!);
      return suffix !== "" && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
    },
  },
  strrev: { arity: [1, 1], fn: ([s]) => chars(str(s!)).reverse().join("") },
  startswith: { arity: [2, 2], fn: ([s, p]) => str(s!).startsWith(str(p!)) },
  endswith: { arity: [2, 2], fn: ([s, p]) => str(s!).endsWith(str(p!)) },
  substr: {
    arity: [3, 3],
    fn: ([s, o, l]) => {
      const c = chars(str(s!));
      let offset = int(o!, "the offset");
      const length = int(l!, "the length");
      if (offset < 0) offset = Math.max(0, c.length + offset);
      if (offset > c.length) throw new EvalError("the offset is past the end of the string");
      return c.slice(offset, length < 0 ? undefined : offset + length).join("");
    },
  },
  replace: {
    arity: [3, 3],
    fn: ([s, f, r], fx) => {
      const text = str(s!);
      const search = str(f!, "the substring");
      const replacement = str(r!, "the replacement");
      fx.charge(Math.ceil(text.length / 100));
      if (search.length > 1 && search.startsWith("/") && search.endsWith("/")) {
        const re = compileRegex(search.slice(1, -1), "g");
        return text.replace(re, (...m: unknown[]) => expandReplacement(replacement, m));
      }
      if (search === "") throw new EvalError("the substring must not be empty");
      return text.split(search).join(replacement);
    },
  },
  regex: {
    arity: [2, 2],
    fn: ([p, s]) => {
      const re = compileRegex(str(p!, "the pattern"), "");
      const m = re.exec(str(s!));
      if (!m) throw new EvalError("the pattern did not match");
      return regexResult(m);
    },
  },
  regexall: {
    arity: [2, 2],
    fn: ([p, s], fx) => {
      const re = compileRegex(str(p!, "the pattern"), "g");
      const out: Resolved[] = [];
      for (const m of str(s!).matchAll(re)) {
        fx.charge(1);
        out.push(regexResult(m));
      }
      return out;
    },
  },
};
