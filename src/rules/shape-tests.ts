/**
 * Tests decided on unknown values from what is known about them (their {@link Shape}s and,
 * for strings built from parts, the order of known text and unknown parts).
 */
import { ABSENT, Unknown, type Shape, type TextPart } from "../values/value.js";
import { isInternetCidr } from "./network.js";
import { mayMatch, mayMatchWhole, wholeMatch, type SearchPart } from "./text-search.js";

/** What an unknown part of a string can be, for the search (`secret`: the pattern looks for a secret). */
function searchPart(part: TextPart, secret: boolean): SearchPart {
  if (typeof part === "string") return part;
  if (part.possible) {
    const texts = part.possible.map((p) => (p === ABSENT ? "" : typeof p === "string" || typeof p === "number" ? String(p) : undefined));
    return texts.every((t): t is string => t !== undefined) ? { values: texts } : "any";
  }
  const shape = part.shape;
  if (secret && shape?.secretFree) return "barrier";
  if (shape?.pattern && shape.type !== "list") return { pattern: shape.pattern };
  return "any";
}

/**
 * False when the pattern can match no value the unknown may take, undefined otherwise. With
 * `secret`, parts that are never a secret (names and ids AWS assigns) are not searched: a
 * match has to be made of the template's text and of values that could hold a secret.
 */
export function unknownMayMatch(v: Unknown, pattern: string, secret: boolean): false | undefined {
  const parts = (v.parts ?? [v]).map((p) => searchPart(p, secret));
  return mayMatch(pattern, "u", parts) === false ? false : undefined;
}

/**
 * The unknown parts of a string that keep a search for `pattern` open: those that could make
 * a match with the known text beside them (the other unknown parts taken as breaking the
 * text), else, when a match needs several of them, every part that could hold any of it.
 * A part whose shape rules out a match (a region, a stack name) is never named.
 */
export function matchBlockers(v: Unknown, pattern: string, secret: boolean): Unknown[] {
  const parts = v.parts ?? [v];
  const searched = parts.map((p) => searchPart(p, secret));
  const open = parts.flatMap((p, i) => (typeof p !== "string" && searched[i] !== "barrier" ? [i] : []));
  const alone = open.filter((i) => mayMatch(pattern, "u", searched.map((s, j) => (j === i || typeof parts[j] === "string" ? s : "barrier"))) !== false);
  return (alone.length > 0 ? alone : open).map((i) => parts[i] as Unknown);
}

/**
 * True when an unknown value can never be a CIDR block open to the internet: for every
 * prefix length that `isInternetCidr` counts as open on the all-zero address (the most open
 * address of that length), no value the unknown may take ends in `/` and that length.
 */
export function neverInternet(v: Unknown): boolean {
  const parts = (v.parts ?? [v]).map((p) => searchPart(p, false));
  if (mayMatch("/", "u", parts) === false) return true;
  for (let prefix = 0; prefix <= 128; prefix++) {
    const open = (prefix <= 32 && isInternetCidr(`0.0.0.0/${prefix}`)) || isInternetCidr(`::/${prefix}`);
    if (open && mayMatchWhole(`[\\s\\S]*/\\s*0*${prefix}\\s*`, "u", parts) !== false) return false;
  }
  return true;
}

/** True when the shape rules out a scalar literal (compared as text, as `equals` does). */
export function shapeExcludes(shape: Shape | undefined, literal: unknown): boolean {
  if (!shape) return false;
  if (typeof literal !== "string" && typeof literal !== "number" && typeof literal !== "boolean") return false;
  if (shape.type === "list") return true;
  const text = String(literal);
  if (shape.minLength !== undefined && text.length < shape.minLength) return true;
  if (shape.maxLength !== undefined && text.length > shape.maxLength) return true;
  if (shape.type === "number" || shape.min !== undefined || shape.max !== undefined) {
    const n = text.trim() === "" ? NaN : Number(text);
    if (Number.isNaN(n) && shape.type === "number") return true;
    if (shape.min !== undefined && n < shape.min) return true;
    if (shape.max !== undefined && n > shape.max) return true;
  }
  return shape.pattern !== undefined && wholeMatch(shape.pattern, text) === false;
}

/** The shape of an unknown that is a whole value (not a string built from parts). */
export function shapeOf(v: Unknown): Shape | undefined {
  return v.parts ? undefined : v.shape;
}
