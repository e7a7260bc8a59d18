/**
 * The three-valued value model (DESIGN.md, "Values are three-valued").
 *
 * A resolved value is plain data (string, number, boolean, null, arrays, objects) in which any
 * part may be an {@link Unknown}: a value that cannot be known before deployment, with the
 * reason why and, where the source has them, the values it may take. {@link ABSENT} stands
 * for "the property is not there" inside a list of possible values (a branch of `Fn::If`
 * that yields `AWS::NoValue`).
 */
import { fixedCap } from "../limits/evaluation.js";
import { emptyMap as nullPrototypeMap, hasKey } from "../source/maps.js";

export { hasKey, lookupTable } from "../source/maps.js";

/** Marker for a property that is removed (a possible value of an undecidable condition). */
export const ABSENT: unique symbol = Symbol.for("parapet.absent");
export type Absent = typeof ABSENT;

/** A reference to another resource of the same deployment (becomes a graph edge). */
export interface ResourceRef {
  /** Address of the referenced resource in its scope (logical id, Terraform address). */
  target: string;
  /** Attribute read from the target (`Arn`, `id`), when not the resource itself. */
  attribute?: string;
  /** True when the scope declares nothing under that address. */
  undeclared?: boolean;
  /** The scope of the target when it is not the referring node's own (another stack). */
  scope?: string;
}

/**
 * What is known about an unknown value: the facts its source guarantees (a parameter's
 * `Type`, `AllowedPattern` and bounds, the documented form of a pseudo parameter or of a
 * resource's id). Every field is optional; an absent field says nothing. The model is shared
 * by every format (a Terraform variable's `type` and `validation` fit it too).
 */
export interface Shape {
  /** What the value is: text, a number (CloudFormation passes numbers as text), a list of strings, a boolean. */
  type?: "string" | "number" | "list" | "boolean";
  /**
   * A regular expression (JavaScript syntax, `u` flag, ASCII) that the whole value matches,
   * or, for a list, each of its items.
   */
  pattern?: string;
  /** Bounds on the length of the text (of each item of a list). */
  minLength?: number;
  maxLength?: number;
  /** Bounds on the value of a number. */
  min?: number;
  max?: number;
  /**
   * Never a credential or other secret: a name, id, ARN or number that AWS assigns or the
   * deployment's own validation limits (a pattern a secret cannot have).
   */
  secretFree?: boolean;
  /** What the value is, in words ("a security group id"), for reasons. */
  what?: string;
}

/** A part of a string built from parts: known text, or an unknown (that may have a shape). */
export type TextPart = string | Unknown;

export class Unknown {
  readonly reason: string;
  /** The values this may take, when the source limits them (ABSENT = property removed). */
  readonly possible?: readonly Resolved[];
  /** Set when the value stands for another resource or one of its attributes. */
  readonly ref?: ResourceRef;
  /** Other resources the value was computed from (`Fn::Sub` of two attributes). */
  readonly refs?: readonly ResourceRef[];
  /** For a string built from known and unknown parts: the known parts, in order. */
  readonly fragments?: readonly string[];
  /** What is known about the value (its type, pattern, bounds). */
  readonly shape?: Shape;
  /**
   * For a string built from known and unknown parts: all its parts, in order (adjacent known
   * text joined), so that a pattern can be searched across them.
   */
  readonly parts?: readonly TextPart[];
  /** For JSON text with unknown parts (`jsonencode` of a partly known value): the value it encodes. */
  readonly decoded?: Resolved;
  /**
   * Where each possible value is written, relative to where this value is written (the
   * branch of an `Fn::If`: `["Fn::If", 2]`), in the order of {@link possible}; an entry is
   * undefined when the source does not say.
   */
  readonly possiblePaths?: readonly (WrittenPath | undefined)[];

  constructor(reason: string, options: UnknownOptions = {}) {
    this.reason = reason;
    if (options.possible) this.possible = options.possible;
    if (options.ref) this.ref = options.ref;
    if (options.refs && options.refs.length > 0) this.refs = options.refs;
    if (options.fragments && options.fragments.length > 0) this.fragments = options.fragments;
    if (options.shape) this.shape = options.shape;
    if (options.parts && options.parts.length > 0) this.parts = options.parts;
    if (options.decoded !== undefined) this.decoded = options.decoded;
    if (options.possiblePaths && options.possiblePaths.some((p) => p !== undefined)) this.possiblePaths = options.possiblePaths;
  }
}

/** A path inside a written value (keys and list indexes), as a source locates it. */
export type WrittenPath = readonly (string | number)[];

export interface UnknownOptions {
  possible?: readonly Resolved[];
  ref?: ResourceRef;
  refs?: readonly ResourceRef[];
  fragments?: readonly string[];
  shape?: Shape;
  parts?: readonly TextPart[];
  decoded?: Resolved;
  possiblePaths?: readonly (WrittenPath | undefined)[];
}

/** The options an unknown was made with (to copy it with changes). */
export function optionsOf(v: Unknown): UnknownOptions {
  return {
    ...(v.possible ? { possible: v.possible } : {}),
    ...(v.ref ? { ref: v.ref } : {}),
    ...(v.refs ? { refs: v.refs } : {}),
    ...(v.fragments ? { fragments: v.fragments } : {}),
    ...(v.shape ? { shape: v.shape } : {}),
    ...(v.parts ? { parts: v.parts } : {}),
    ...(v.decoded !== undefined ? { decoded: v.decoded } : {}),
    ...(v.possiblePaths ? { possiblePaths: v.possiblePaths } : {}),
  };
}

export type Scalar = string | number | boolean | null;
export type Resolved = Scalar | Unknown | Absent | Resolved[] | { [key: string]: Resolved };
export type ResolvedMap = { [key: string]: Resolved };

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isMap(v: unknown): v is ResolvedMap {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** A plain object (data read from a file): not null, not a list, not an unknown. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** A fresh object with no prototype, so keys such as `__proto__` stay ordinary keys. */
export function emptyMap<T = Resolved>(): { [key: string]: T } {
  return nullPrototypeMap<T>();
}

/** The largest number of combinations {@link combine} enumerates before giving up. */
export const MAX_COMBINATIONS = 64;

/**
 * Applies `fn` to known inputs. Unknown inputs with possible values are expanded (up to
 * {@link MAX_COMBINATIONS} combinations) so the result keeps its possible values; any other
 * unknown input makes the result unknown with that input's reason.
 */
export function combine(inputs: readonly Resolved[], fn: (known: Resolved[]) => Resolved): Resolved {
  const firstBlind = inputs.find((v) => v instanceof Unknown && !v.possible);
  if (firstBlind instanceof Unknown) {
    // The result is unknown, but it still comes from every resource the inputs name.
    const refs = inputs.flatMap((v) => refsIn(v)).filter((r) => r !== firstBlind.ref);
    return new Unknown(firstBlind.reason, { ...(firstBlind.ref ? { ref: firstBlind.ref } : {}), refs });
  }
  const expandable = inputs.filter((v): v is Unknown => v instanceof Unknown);
  if (expandable.length === 0) return fn([...inputs]);
  const reason = expandable[0]!.reason;
  const combos = expand(inputs);
  if (!combos) return new Unknown(tooManyCombinations(reason));
  return possibleValues(
    combos.map((combo) => {
      const blind = combo.find((x): x is Unknown => x instanceof Unknown);
      return blind ?? fn(combo);
    }),
    reason,
  );
}

/** Every resource reference inside a value (its own, those it was computed from, possible values'). */
export function refsIn(v: Resolved, out: ResourceRef[] = []): ResourceRef[] {
  if (v instanceof Unknown) {
    if (v.ref) out.push(v.ref);
    if (v.refs) out.push(...v.refs);
    for (const p of v.possible ?? []) refsIn(p, out);
  } else if (Array.isArray(v)) for (const x of v) refsIn(x, out);
  else if (isMap(v)) for (const x of Object.values(v)) refsIn(x, out);
  return out;
}

/** The reason of a value left undecided because its inputs' possible values make too many combinations to try. */
export function tooManyCombinations(reason: string): string {
  return `${reason}; with the other undecided values it depends on, more than ${MAX_COMBINATIONS} combinations of possible values ${fixedCap("combinations")}`;
}

/** Every combination of the inputs' possible values, or undefined past {@link MAX_COMBINATIONS}. */
export function expand(inputs: readonly Resolved[]): Resolved[][] | undefined {
  let combos: Resolved[][] = [[]];
  for (const input of inputs) {
    const options: readonly Resolved[] = input instanceof Unknown && input.possible ? input.possible : [input];
    const next: Resolved[][] = [];
    for (const prefix of combos) for (const option of options) next.push([...prefix, option]);
    if (next.length > MAX_COMBINATIONS) return undefined;
    combos = next;
  }
  return combos;
}

/**
 * Folds a list of possible results into one value: known when they all agree, else an
 * unknown that lists them (members may themselves be unknowns without possible values).
 * `paths` says where each result is written; the possible values of a result that is itself
 * undecided are written under its path.
 */
export function possibleValues(results: readonly Resolved[], reason: string, paths?: readonly (WrittenPath | undefined)[]): Resolved {
  const flat: Resolved[] = [];
  const flatPaths: (WrittenPath | undefined)[] = [];
  results.forEach((r, i) => {
    const at = paths?.[i];
    if (r instanceof Unknown && r.possible) {
      flat.push(...r.possible);
      r.possible.forEach((_p, j) => flatPaths.push(joinWritten(at, r.possiblePaths?.[j])));
    } else {
      flat.push(r);
      flatPaths.push(at);
    }
  });
  const distinct: Resolved[] = [];
  const distinctPaths: (WrittenPath | undefined)[] = [];
  flat.forEach((r, i) => {
    if (distinct.some((d) => d === r || sameValue(d, r))) return;
    distinct.push(r);
    distinctPaths.push(flatPaths[i]);
  });
  if (distinct.length === 1) return distinct[0]!;
  return new Unknown(reason, { possible: distinct, possiblePaths: distinctPaths });
}

/** A path under another: the inner one when the outer is not known, the outer one when the inner is not. */
function joinWritten(outer: WrittenPath | undefined, inner: WrittenPath | undefined): WrittenPath | undefined {
  if (!outer) return inner;
  return inner ? [...outer, ...inner] : outer;
}

/** Structural equality of two known values (unknowns are never equal to anything). */
export function sameValue(a: Resolved, b: Resolved): boolean {
  if (a === b) return a !== null || b === null;
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]!));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => hasKey(b, k) && sameValue(a[k]!, b[k]!));
  }
  return false;
}

/** True when the value contains an Unknown anywhere inside it. */
export function containsUnknown(v: Resolved): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isMap(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/** The first unknown inside a value (depth first), for its reason. */
export function firstUnknown(v: Resolved): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  } else if (isMap(v)) {
    for (const x of Object.values(v)) {
      const u = firstUnknown(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** A short, human-readable rendering of a value for messages. */
export function describeValue(v: Resolved): string {
  if (v === ABSENT) return "(absent)";
  if (v instanceof Unknown) return v.ref ? `<${v.ref.target}${v.ref.attribute ? "." + v.ref.attribute : ""}>` : "<unknown>";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  const text = JSON.stringify(v, (_k, x) => (x instanceof Unknown ? describeValue(x) : x));
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

/** Applies `fn` to a known value, to every possible value of an unknown, keeps blind unknowns. */
export function mapKnown(v: Resolved, fn: (known: Resolved) => Resolved): Resolved {
  if (v instanceof Unknown) {
    if (!v.possible) return v;
    return possibleValues(v.possible.map((p) => (p instanceof Unknown || p === ABSENT ? p : fn(p))), v.reason);
  }
  if (v === ABSENT) return v;
  return fn(v);
}

/**
 * Reads a dotted path (`metadata_options.http_tokens`) from a value. A missing key is
 * {@link ABSENT}; an unknown on the way yields an unknown (possible values are followed).
 */
const SPLIT_PATHS = new Map<string, readonly string[]>();

function splitPath(path: string): readonly string[] {
  let parts = SPLIT_PATHS.get(path);
  if (!parts) {
    parts = path === "." || path === "" ? [] : path.split(".");
    // Paths come from rules and kind tables; a bound keeps odd callers from growing the map.
    if (SPLIT_PATHS.size < 10_000) SPLIT_PATHS.set(path, parts);
  }
  return parts;
}

export function getPath(v: Resolved, path: string | readonly string[]): Resolved {
  const parts = typeof path === "string" ? splitPath(path) : path;
  let cur: Resolved = v;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (cur instanceof Unknown) {
      if (!cur.possible) return new Unknown(cur.reason);
      const rest = parts.slice(i);
      const reason = cur.reason;
      return possibleValues(cur.possible.map((p) => getPath(p, rest)), reason);
    }
    if (isMap(cur)) cur = hasKey(cur, part) ? cur[part]! : ABSENT;
    else if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)] ?? ABSENT;
    else return ABSENT;
  }
  return cur;
}

/**
 * An attribute read from an unknown value: when the value stands for a whole resource
 * (a reference without an attribute), the result still refers to that resource, to the
 * attribute read (`local.vpc.id` where `local.vpc` is `aws_vpc.main[0]`), so that edges
 * survive being passed through locals, variables and module outputs.
 */
export function attributeOfUnknown(u: Unknown, key: string | number): Unknown {
  const name = String(key);
  if (u.ref && u.ref.attribute === undefined && !/^\d+$/.test(name)) return new Unknown(u.reason, { ref: { ...u.ref, attribute: name } });
  return new Unknown(u.reason);
}

/** {@link getPath} for expressions: an attribute of a resource reference stays a reference ({@link attributeOfUnknown}). */
export function followPath(v: Resolved, parts: readonly string[]): Resolved {
  let cur: Resolved = v;
  for (let i = 0; i < parts.length; i++) {
    if (cur instanceof Unknown) {
      if (cur.possible) {
        const rest = parts.slice(i);
        return possibleValues(cur.possible.map((p) => followPath(p, rest)), cur.reason);
      }
      return i === parts.length - 1 ? attributeOfUnknown(cur, parts[i]!) : new Unknown(cur.reason);
    }
    cur = getPath(cur, [parts[i]!]);
  }
  return cur;
}

/** A copy of a value whose resource references name `scope` (a value passed to another stack). */
export function inScope(v: Resolved, scope: string): Resolved {
  if (v instanceof Unknown) {
    const ref = v.ref && !v.ref.scope ? { ...v.ref, scope } : v.ref;
    const refs = v.refs?.map((r) => (r.scope ? r : { ...r, scope }));
    const possible = v.possible?.map((p) => inScope(p, scope));
    const parts = v.parts?.map((p) => (typeof p === "string" ? p : (inScope(p, scope) as Unknown)));
    return new Unknown(v.reason, { ...optionsOf(v), ...(possible ? { possible } : {}), ...(ref ? { ref } : {}), ...(refs ? { refs } : {}), ...(parts ? { parts } : {}) });
  }
  if (Array.isArray(v)) return v.map((x) => inScope(x, scope));
  if (isMap(v)) {
    const out = emptyMap();
    for (const [k, x] of Object.entries(v)) out[k] = inScope(x, scope);
    return out;
  }
  return v;
}

/**
 * A string concatenation in which some parts may be unknown: known when all parts are;
 * otherwise an unknown that still carries the known text, so a test can find a secret in
 * `!Sub "key=AKIA...${AWS::Region}"`, and all the parts in order, so a pattern can be
 * searched across known text and shaped unknowns.
 */
export function concatenate(
  parts: readonly Resolved[],
  join: (known: Resolved[]) => Resolved,
  /** The parts in the order they are written (default: `parts` as they are). */
  written: () => TextPart[] = () => textParts(parts, ""),
): Resolved {
  const result = combine(parts, join);
  if (!(result instanceof Unknown) || result.possible) return result;
  return partlyKnownText(result, parts, written());
}

/**
 * The string built from `parts` whose value is the unknown `result` (it has no possible
 * values): `result` with the known text of the parts and all the parts in the order written.
 */
export function partlyKnownText(result: Unknown, parts: readonly Resolved[], written: TextPart[]): Unknown {
  const fragments = parts.filter((p): p is string => typeof p === "string" && p !== "");
  return new Unknown(result.reason, {
    ...(result.ref ? { ref: result.ref } : {}),
    ...(result.refs ? { refs: result.refs } : {}),
    fragments: [...(parts.flatMap((p) => (p instanceof Unknown && p.fragments ? p.fragments : [])) as string[]), ...fragments],
    parts: written,
    shape: { type: "string" },
  });
}

/**
 * The parts of a concatenation in order, with `separator` between them: the parts of nested
 * concatenations are spliced in, adjacent text is joined, and a part that is not text (a
 * list, a map) becomes an unknown without a shape.
 */
export function textParts(parts: readonly Resolved[], separator: string): TextPart[] {
  const out: TextPart[] = [];
  const push = (p: TextPart) => {
    const last = out[out.length - 1];
    if (typeof p === "string" && typeof last === "string") out[out.length - 1] = last + p;
    else if (p !== "") out.push(p);
  };
  parts.forEach((p, i) => {
    if (i > 0 && separator !== "") push(separator);
    if (typeof p === "string") push(p);
    else if (typeof p === "number" || typeof p === "boolean") push(String(p));
    else if (p === null) push("null");
    else if (p === ABSENT) return;
    else if (p instanceof Unknown && p.parts) for (const q of p.parts) push(q);
    else if (p instanceof Unknown) push(p);
    else push(new Unknown("a value that is not text is written into the string"));
  });
  return out;
}
