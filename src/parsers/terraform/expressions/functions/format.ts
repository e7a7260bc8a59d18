/** format(): Go's verbs as Terraform applies them, and the partly known text of format() and join(). */
import { type Resolved, type TextPart, Unknown, firstUnknown, partlyKnownText, textParts } from "../../../../values/value.js";
import { EvalError, MAX_STRING_LENGTH, TOO_COMPLEX, TooComplex } from "../guards.js";
import { type Fx, chars, deepKnown, num, str } from "./spec.js";
import { formatNumber, scalarText, templateText, toBool } from "../conversions.js";
import { jsonEncode } from "./encoding.js";

export function format(spec: string, args: Resolved[], fx: Fx): string {
  return formatParts(spec, args, fx).map(templateText).join("");
}

/**
 * The pieces of `format(spec, args...)` in order: text, and where an argument is unknown,
 * that argument (`%s`, `%v` without width or precision) or an unknown piece (any other verb).
 */
function formatParts(spec: string, args: Resolved[], fx: Fx): TextPart[] {
  const out: TextPart[] = [];
  let length = 0;
  const push = (piece: TextPart) => {
    out.push(piece);
    length += typeof piece === "string" ? piece.length : 0;
    if (length > MAX_STRING_LENGTH) throw new TooComplex(TOO_COMPLEX);
  };
  let next = 0;
  let used = 0;
  const re = /%([-+ 0#]*)(\[(\d+)\])?(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])?/g;
  let last = 0;
  for (let m = re.exec(spec); m; m = re.exec(spec)) {
    push(spec.slice(last, m.index));
    last = m.index + m[0].length;
    fx.charge(1);
    const [, flags = "", , explicit, widthText, precisionText, verb] = m;
    if (verb === "%") {
      push("%");
      continue;
    }
    if (!verb) throw new EvalError("a format verb is missing after %");
    if (widthText === "*") throw new EvalError("* widths are not supported");
    if (explicit !== undefined) next = Number(explicit) - 1;
    if (next < 0 || next >= args.length) throw new EvalError(`not enough arguments for the format ${JSON.stringify(spec)}`);
    const arg = args[next++]!;
    used = Math.max(used, next);
    const width = widthText ? Number(widthText) : 0;
    const precision = precisionText !== undefined ? Number(precisionText) : undefined;
    if (width > 1000 || (precision ?? 0) > 1000) throw new TooComplex(TOO_COMPLEX);
    const unknown = firstUnknown(arg);
    if (unknown) push(arg instanceof Unknown && (verb === "s" || verb === "v") && !flags && !width && precision === undefined ? arg : new Unknown(unknown.reason));
    else push(pad(formatVerb(verb, flags, precision, arg), width, flags));
  }
  push(spec.slice(last));
  if (used < args.length) throw new EvalError(`too many arguments; the format uses ${used} of ${args.length}`);
  return out;
}

/**
 * A call whose result is unknown but whose text is partly known: `format` and `join` keep
 * their pieces in order; `base64encode` of such a text is that text, which is what rules
 * read (user data is checked decoded). Undefined for any other call.
 */
export function partlyKnownCall(name: string, args: Resolved[], result: Unknown, fx: Fx): Resolved | undefined {
  const [first, ...rest] = args;
  if (name === "base64encode" && first instanceof Unknown && first.parts) return first;
  if (typeof first !== "string") return undefined;
  try {
    if (name === "format") return written(result, formatParts(first, rest, fx), "");
  } catch (error) {
    if (error instanceof EvalError) return undefined;
    throw error;
  }
  if (name !== "join" || !rest.every((l) => Array.isArray(l))) return undefined;
  return written(result, (rest as Resolved[][]).flat(), first);
}

/** The unknown text `result` written as `pieces` with `separator` between them. */
export function written(result: Unknown, pieces: readonly Resolved[], separator: string): Unknown {
  const parts = textParts(pieces, separator);
  return partlyKnownText(result, parts, parts);
}

function formatVerb(verb: string, flags: string, precision: number | undefined, arg: Resolved): string {
  const v = deepKnown(arg);
  const sign = (n: number, text: string): string => (n >= 0 && flags.includes("+") ? "+" + text : n >= 0 && flags.includes(" ") ? " " + text : text);
  switch (verb) {
    case "v":
      if (flags.includes("#")) return jsonEncode(v);
      if (v === null) return "null";
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return scalarText(v);
      return jsonEncode(v);
    case "s": {
      const text = str(v, "the value for %s");
      return precision !== undefined ? chars(text).slice(0, precision).join("") : text;
    }
    case "q":
      return jsonEncode(str(v, "the value for %q"));
    case "t": {
      const b = toBool(v, "the value for %t");
      return String(b);
    }
    case "d": {
      const n = num(v, "the value for %d");
      if (!Number.isInteger(n)) throw new EvalError(`${n} has a fractional part; %d needs a whole number`);
      return sign(n, formatNumber(n));
    }
    case "f":
    case "F": {
      const n = num(v, "the value for %f");
      return sign(n, n.toFixed(precision ?? 6));
    }
    case "e":
    case "E": {
      const n = num(v, "the value for %e");
      const text = n.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, "e$10$2");
      return sign(n, verb === "E" ? text.toUpperCase() : text);
    }
    case "g":
    case "G": {
      const n = num(v, "the value for %g");
      const text = precision !== undefined ? String(Number(n.toPrecision(Math.max(precision, 1)))) : formatNumber(n);
      return sign(n, verb === "G" ? text.toUpperCase() : text);
    }
    case "b":
    case "o":
    case "x":
    case "X": {
      if (typeof v === "string" && (verb === "x" || verb === "X")) {
        const hex = Buffer.from(v, "utf8").toString("hex");
        return verb === "X" ? hex.toUpperCase() : hex;
      }
      const n = num(v, `the value for %${verb}`);
      if (!Number.isInteger(n)) throw new EvalError(`${n} has a fractional part; %${verb} needs a whole number`);
      const radix = verb === "b" ? 2 : verb === "o" ? 8 : 16;
      const text = BigInt(n).toString(radix);
      return sign(n, verb === "X" ? text.toUpperCase() : text);
    }
    default:
      throw new EvalError(`unsupported format verb %${verb}`);
  }
}

function pad(text: string, width: number, flags: string): string {
  const length = chars(text).length;
  if (length >= width) return text;
  const fill = width - length;
  if (flags.includes("-")) return text + " ".repeat(fill);
  if (flags.includes("0") && /^[-+ ]?[0-9.]/.test(text)) {
    const signChar = /^[-+ ]/.test(text) ? text[0]! : "";
    return signChar + "0".repeat(fill) + text.slice(signChar.length);
  }
  return " ".repeat(fill) + text;
}
