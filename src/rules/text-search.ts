/**
 * Could a pattern match somewhere in a string of which only some parts are known?
 *
 * The string is a sequence of parts: known text, and unknown parts that each stand for a set
 * of strings (a regular language: any text, the strings a shape's pattern admits, or a few
 * possible values). The pattern is read into a nondeterministic automaton (with a loop at
 * its start, so that a match may begin anywhere) and run over the parts: over known text
 * character by character, over an unknown part in step with the part's own automaton, moving
 * only on characters both can read. The answer is exact for the automata; the automata
 * over-approximate the pattern (lookarounds, anchors and word boundaries are taken as always
 * holding, a back-reference as any text, repetitions above 32 as unbounded), so "no match"
 * is a proof and "maybe" is only a maybe.
 */
import { readPattern, type Atom, type CharSet } from "../source/regex-safety.js";

interface Edge {
  set: CharSet;
  to: number;
}

/** States are numbers; each has character edges and empty moves. */
class Automaton {
  readonly edges: Edge[][] = [];
  readonly empty: number[][] = [];
  start = 0;
  accept = 0;

  state(): number {
    if (this.edges.length >= MAX_STATES) throw new TooLarge();
    this.edges.push([]);
    this.empty.push([]);
    return this.edges.length - 1;
  }

  /** Every state reachable from `states` by empty moves. */
  closure(states: Iterable<number>): Set<number> {
    const out = new Set(states);
    const stack = [...out];
    while (stack.length > 0) {
      for (const next of this.empty[stack.pop()!]!) {
        if (!out.has(next)) {
          out.add(next);
          stack.push(next);
        }
      }
    }
    return out;
  }
}

class TooLarge extends Error {}

const MAX_STATES = 5000;
const MAX_REPEAT = 32;
const anyChar: CharSet = () => true;

function alternatives(alts: Atom[][], a: Automaton, from: number, to: number): void {
  for (const seq of alts) {
    let at = from;
    for (const atom of seq) {
      const next = a.state();
      repeated(atom, a, at, next);
      at = next;
    }
    a.empty[at]!.push(to);
  }
}

/** An atom with its repetition bounds (above {@link MAX_REPEAT}: fewer required, unbounded). */
function repeated(atom: Atom, a: Automaton, from: number, to: number): void {
  const min = Math.min(atom.min, MAX_REPEAT);
  const max = atom.max > MAX_REPEAT ? Infinity : atom.max;
  let at = from;
  for (let i = 0; i < min; i++) {
    const next = a.state();
    once(atom, a, at, next);
    at = next;
  }
  if (max === Infinity) {
    once(atom, a, at, at);
  } else {
    for (let i = min; i < max; i++) {
      const next = a.state();
      a.empty[at]!.push(to);
      once(atom, a, at, next);
      at = next;
    }
  }
  a.empty[at]!.push(to);
}

function once(atom: Atom, a: Automaton, from: number, to: number): void {
  if (atom.set) a.edges[from]!.push({ set: atom.set, to });
  else if (atom.alts) alternatives(atom.alts, a, from, to);
  else if (atom.assertion) a.empty[from]!.push(to);
  else {
    // A back-reference: any text.
    const loop = a.state();
    a.empty[from]!.push(loop);
    a.edges[loop]!.push({ set: anyChar, to: loop });
    a.empty[loop]!.push(to);
  }
}

/** The automaton of a pattern; `anywhere` lets a match begin after any text. Undefined if unreadable or too large. */
function compile(source: string, flags: string, anywhere: boolean): Automaton | undefined {
  const alts = readPattern(source, flags);
  if (!alts) return undefined;
  const a = new Automaton();
  try {
    a.start = a.state();
    a.accept = a.state();
    const body = a.state();
    if (anywhere) {
      // A match may begin after any text, and once found stays found.
      a.edges[a.start]!.push({ set: anyChar, to: a.start });
      a.edges[a.accept]!.push({ set: anyChar, to: a.accept });
    }
    a.empty[a.start]!.push(body);
    alternatives(alts, a, body, a.accept);
  } catch (e) {
    if (e instanceof TooLarge) return undefined;
    throw e;
  }
  return a;
}

const CACHE = new Map<string, Automaton | undefined>();

function cached(source: string, flags: string, anywhere: boolean): Automaton | undefined {
  const key = `${anywhere ? "*" : "="}${flags}/${source}`;
  if (CACHE.has(key)) return CACHE.get(key);
  const a = compile(source, flags, anywhere);
  if (CACHE.size < 1000) CACHE.set(key, a);
  return a;
}

const NON_ASCII = new WeakMap<CharSet, boolean>();

/** Does the set hold a character past ASCII (in the Basic Multilingual Plane)? */
function hasNonAscii(set: CharSet): boolean {
  let known = NON_ASCII.get(set);
  if (known === undefined) {
    known = false;
    for (let c = 128; c <= 0xffff && !known; c++) known = set(c);
    NON_ASCII.set(set, known);
  }
  return known;
}

function overlap(a: CharSet, b: CharSet): boolean {
  for (let c = 0; c < 128; c++) if (a(c) && b(c)) return true;
  return hasNonAscii(a) && hasNonAscii(b);
}

/**
 * A part of the searched string: known text; `any` (an unknown that may be any text);
 * `barrier` (an unknown that a match may not use: matches are searched before and after it);
 * or a language given by a pattern (that the whole part matches) or by its possible values.
 */
export type SearchPart = string | "any" | "barrier" | { pattern: string } | { values: readonly string[] };

/** A part as a set of strings: an automaton that accepts them, or undefined for any text. */
function partAutomaton(part: { pattern: string } | { values: readonly string[] }): Automaton | undefined {
  if ("pattern" in part) return cached(part.pattern, "u", false);
  return cached(part.values.map(escapeText).join("|"), "u", false);
}

function escapeText(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

/**
 * False when no string the parts can form has a match of `source` (compiled with `flags`);
 * true when one may have. Undefined when the pattern cannot be read into an automaton.
 */
export function mayMatch(source: string, flags: string, parts: readonly SearchPart[]): boolean | undefined {
  return search(source, flags, parts, true);
}

/** Like {@link mayMatch}, but the pattern must match the whole string. */
export function mayMatchWhole(source: string, flags: string, parts: readonly SearchPart[]): boolean | undefined {
  return search(source, flags, parts, false);
}

function search(source: string, flags: string, parts: readonly SearchPart[], anywhere: boolean): boolean | undefined {
  const r = cached(source, flags, anywhere);
  if (!r) return undefined;
  let states = r.closure([r.start]);
  for (const part of parts) {
    if (anywhere && states.has(r.accept)) return true;
    if (part === "barrier") states = r.closure([r.start]);
    else if (typeof part === "string" && part !== "any") states = overText(r, states, part);
    else {
      const p = part === "any" ? undefined : partAutomaton(part);
      states = p ? overPart(r, states, p) : reachable(r, states);
    }
  }
  return states.has(r.accept);
}

function step(r: Automaton, states: Set<number>, c: number): Set<number> {
  const next: number[] = [];
  for (const s of states) for (const e of r.edges[s]!) if (e.set(c)) next.push(e.to);
  return r.closure(next);
}

function overText(r: Automaton, states: Set<number>, text: string): Set<number> {
  let cur = states;
  for (const ch of text) {
    cur = step(r, cur, ch.codePointAt(0)!);
  }
  return cur;
}

/** Every state reachable from `states` on some text. */
function reachable(r: Automaton, states: Set<number>): Set<number> {
  const out = new Set(states);
  const stack = [...out];
  while (stack.length > 0) {
    const s = stack.pop()!;
    for (const next of [...r.empty[s]!, ...r.edges[s]!.map((e) => e.to)]) {
      if (!out.has(next)) {
        out.add(next);
        stack.push(next);
      }
    }
  }
  return out;
}

/**
 * The states of `r` reachable from `states` after reading some string of `p`'s language
 * (a pattern searched anywhere keeps its accepting state once a match is found).
 */
function overPart(r: Automaton, states: Set<number>, p: Automaton): Set<number> {
  const n = r.edges.length;
  const seen = new Set<number>();
  const stack: number[] = [];
  const visit = (ps: number, rs: number) => {
    const key = ps * n + rs;
    if (!seen.has(key)) {
      seen.add(key);
      stack.push(key);
    }
  };
  for (const ps of p.closure([p.start])) for (const rs of states) visit(ps, rs);
  const out = new Set<number>();
  while (stack.length > 0) {
    const key = stack.pop()!;
    const ps = Math.floor(key / n);
    const rs = key % n;
    if (ps === p.accept) out.add(rs);
    for (const next of p.empty[ps]!) visit(next, rs);
    for (const next of r.empty[rs]!) visit(ps, next);
    for (const pe of p.edges[ps]!) for (const re of r.edges[rs]!) if (overlap(pe.set, re.set)) visit(pe.to, re.to);
  }
  return out;
}

/** True when the whole of `text` matches `pattern` (a shape's pattern: the value is checked against it). */
export function wholeMatch(pattern: string, text: string): boolean | undefined {
  const a = cached(pattern, "u", false);
  if (!a) return undefined;
  let states = a.closure([a.start]);
  for (const ch of text) states = step(a, states, ch.codePointAt(0)!);
  return states.has(a.accept);
}
