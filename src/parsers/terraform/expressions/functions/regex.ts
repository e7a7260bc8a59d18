/** Regular expressions in RE2 syntax, as far as JavaScript can follow it. */
import { type Resolved, emptyMap } from "../../../../values/value.js";
import { regexRisk } from "../../../../source/regex-safety.js";
import { EvalError, TOO_COMPLEX, TooComplex } from "../guards.js";

export function compileRegex(pattern: string, flags: string): RegExp {
  let source = pattern;
  let extra = "";
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    if (inline[1]!.includes("U")) throw new EvalError("the U flag of RE2 is not supported");
    extra = inline[1]!;
    source = source.slice(inline[0].length);
  }
  if (/\(\?[a-zA-Z]/.test(source.replace(/\(\?P?</g, ""))) throw new EvalError("inline regular expression flags are only supported at the start");
  source = source.replace(/\(\?P</g, "(?<").replace(/\\z/g, "$(?![\\s\\S])").replace(/\\A/g, "^(?<![\\s\\S])");
  // JavaScript backtracks; RE2 does not. Refuse the shapes that can take exponential time.
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/.test(source) || source.length > 2000) throw new TooComplex(TOO_COMPLEX);
  if (regexRisk(source, flags + extra, { leadingRepetition: false })) throw new TooComplex(TOO_COMPLEX);
  try {
    return new RegExp(source, flags + [...new Set(extra)].join(""));
  } catch (error) {
    throw new EvalError(`invalid regular expression: ${(error as Error).message}`);
  }
}

/** Expands Go's replacement syntax ($1, ${1}, $name, ${name}, $$) for one match. */
export function expandReplacement(template: string, match: unknown[]): string {
  const last = match[match.length - 1];
  const groups = typeof last === "object" && last !== null ? (last as Record<string, string | undefined>) : undefined;
  const numbered = match.slice(0, match.findIndex((x) => typeof x === "number")) as (string | undefined)[];
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_all, whole: string, braced?: string, bare?: string) => {
    if (whole === "$") return "$";
    const name = braced ?? bare ?? "";
    if (/^\d+$/.test(name)) return numbered[Number(name)] ?? "";
    return groups?.[name] ?? "";
  });
}

export function regexResult(m: RegExpMatchArray | RegExpExecArray): Resolved {
  if (m.groups && Object.keys(m.groups).length > 0) {
    const out = emptyMap();
    for (const [k, v] of Object.entries(m.groups)) out[k] = v ?? "";
    return out;
  }
  if (m.length > 1) return m.slice(1).map((g) => g ?? "");
  return m[0];
}
