/**
 * A load-time check of the regular expressions in rules (`matches`): JavaScript's engine
 * backtracks, and a pattern that can match the same text in many ways takes exponential or
 * high polynomial time on crafted input. A template is input anyone can write, so a rule
 * whose pattern has such a shape is refused when it is loaded, with the reason.
 *
 * The check reads the pattern into atoms (characters, classes, groups with their
 * alternatives) with their repetition bounds and refuses:
 *  - a repeated group whose repetition can end where its next round starts (`(a+)+`,
 *    `(\w+\s?)*`): the nested repetition can split the text in exponentially many ways;
 *  - a repeated group whose alternatives can start with the same character, or be empty
 *    (`(a|ab)*`, `(\d|\w)+`, `(x|)*`);
 *  - two unbounded repetitions of overlapping characters with nothing required between
 *    them (`\s*\s*`, `\d+\w*`): polynomial time;
 *  - an unbounded repetition at the start of a pattern without `^` (`.*=`, `\s+x`):
 *    every start position scans to the end. For a test it says nothing: `.*=` matches where
 *    `=` does.
 * Characters are compared on a sample (ASCII and a few others), which is enough to see
 * whether two classes overlap.
 */

export type CharSet = (c: number) => boolean;

export interface Atom {
  /** A character or class: what it matches. Undefined for groups, anchors and references. */
  set?: CharSet;
  /** A group's alternatives. */
  alts?: Atom[][];
  /** A zero-width assertion (`^`, `$`, `\b`, lookaround). */
  assertion?: boolean;
  min: number;
  max: number;
}

const SAMPLE: number[] = [...Array.from({ length: 128 }, (_, i) => i), 0xa0, 0xe9, 0x3b1, 0x2028, 0x4e00, 0x1f600];

const isDigit: CharSet = (c) => c >= 48 && c <= 57;
const isWord: CharSet = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharSet = (c) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028;
const anyChar: CharSet = () => true;
const not = (s: CharSet): CharSet => (c) => !s(c);
const union = (sets: CharSet[]): CharSet => (c) => sets.some((s) => s(c));
const none: CharSet = () => false;

/** `\d`, `\W`, ...: the classes written as one escape. */
const CLASS_ESCAPES: Record<string, CharSet> = { d: isDigit, D: not(isDigit), w: isWord, W: not(isWord), s: isSpace, S: not(isSpace) };
/** `\n`, `\t`, ...: one control character each. */
const CONTROL_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, "0": 0 };

function overlaps(a: CharSet, b: CharSet): boolean {
  return SAMPLE.some((c) => a(c) && b(c));
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Atom[][] {
    return this.alternatives();
  }

  private alternatives(): Atom[][] {
    const alts: Atom[][] = [this.sequence()];
    while (this.src[this.i] === "|") {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Atom[] {
    const seq: Atom[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const atom = this.atom();
      this.quantifier(atom);
      seq.push(atom);
    }
    return seq;
  }

  private quantifier(atom: Atom): void {
    const c = this.src[this.i];
    let min = 1;
    let max = 1;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return;
    this.i++;
    if (this.src[this.i] === "?") this.i++; // lazy: the same ways to match, tried in another order
    atom.min *= min;
    atom.max *= max;
  }

  private atom(): Atom {
    const c = this.src[this.i++]!;
    if (c === "^" || c === "$") return { assertion: true, min: 1, max: 1 };
    if (c === ".") return { set: anyChar, min: 1, max: 1 };
    if (c === "[") return { set: this.charClass(), min: 1, max: 1 };
    if (c === "(") {
      let lookaround = false;
      if (this.src[this.i] === "?") {
        const m = /^\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(this.src.slice(this.i));
        if (m) {
          lookaround = m[1] === "=" || m[1] === "!" || m[1] === "<=" || m[1] === "<!";
          this.i += m[0].length;
        }
      }
      const alts = this.alternatives();
      if (this.src[this.i] === ")") this.i++;
      return lookaround ? { assertion: true, min: 1, max: 1 } : { alts, min: 1, max: 1 };
    }
    if (c === "\\") return this.escape(false) as Atom;
    return { set: this.literal(c.codePointAt(0)!), min: 1, max: 1 };
  }

  private literal(code: number): CharSet {
    if (!this.ignoreCase) return (x) => x === code;
    const lower = String.fromCodePoint(code).toLowerCase();
    return (x) => String.fromCodePoint(x).toLowerCase() === lower;
  }

  /** An escape after `\`: a class, a literal, an assertion or a back-reference. */
  private escape(inClass: boolean): Atom | CharSet {
    const c = this.src[this.i++] ?? "\\";
    const set = (s: CharSet): Atom | CharSet => (inClass ? s : { set: s, min: 1, max: 1 });
    const shorthand = CLASS_ESCAPES[c];
    if (shorthand) return set(shorthand);
    const control = CONTROL_ESCAPES[c];
    if (control !== undefined) return set(this.literal(control));
    switch (c) {
      case "p":
      case "P":
        if (this.src[this.i] === "{") this.i = this.src.indexOf("}", this.i) + 1 || this.src.length;
        return set(anyChar); // a Unicode property: taken as overlapping everything
      case "b":
      case "B":
        return inClass ? (x) => x === 8 : { assertion: true, min: 1, max: 1 };
      case "k":
        if (this.src[this.i] === "<") this.i = this.src.indexOf(">", this.i) + 1 || this.src.length;
        return inClass ? none : { assertion: false, min: 1, max: 1 }; // back-reference: any text
      case "x": {
        const code = parseInt(this.src.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return set(this.literal(code));
      }
      case "u": {
        const m = /^(\{([0-9a-fA-F]+)\}|[0-9a-fA-F]{4})/.exec(this.src.slice(this.i));
        const code = m ? parseInt(m[2] ?? m[1]!, 16) : 117;
        if (m) this.i += m[0].length;
        return set(this.literal(code));
      }
      case "c":
        this.i++;
        return set(anyChar);
      default:
        if (!inClass && /[1-9]/.test(c)) {
          while (/\d/.test(this.src[this.i] ?? "")) this.i++;
          return { min: 1, max: 1 }; // back-reference
        }
        return set(this.literal(c.codePointAt(0)!));
    }
  }

  private charClass(): CharSet {
    const negated = this.src[this.i] === "^";
    if (negated) this.i++;
    const parts: CharSet[] = [];
    while (this.i < this.src.length && this.src[this.i] !== "]") {
      const lo = this.classAtom();
      if (this.src[this.i] === "-" && this.src[this.i + 1] !== "]" && this.i + 1 < this.src.length && typeof lo === "number") {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi === "number") {
          const [a, b] = [lo, hi];
          parts.push(this.ignoreCase ? (x) => [x, ...caseVariants(x)].some((y) => y >= a && y <= b) : (x) => x >= a && x <= b);
          continue;
        }
        parts.push(this.literal(lo), (x) => x === 45, hi);
        continue;
      }
      parts.push(typeof lo === "number" ? this.literal(lo) : lo);
    }
    this.i++; // ]
    const all = union(parts);
    return negated ? not(all) : all;
  }

  /** One member of a class: a code point, or a set (`\d`). */
  private classAtom(): number | CharSet {
    const c = this.src[this.i++]!;
    if (c !== "\\") return c.codePointAt(0)!;
    const start = this.i;
    const e = this.escape(true) as CharSet;
    const written = this.src.slice(start, this.i);
    // Escapes of one character stand for that character, so that ranges work (`\x41-\x5a`).
    const single = SAMPLE.filter((x) => e(x));
    if (/^(x|u|[nrtfv0]|[^a-zA-Z0-9])/.test(written) && single.length === 1) return single[0]!;
    return e;
  }
}

function caseVariants(x: number): number[] {
  const s = String.fromCodePoint(x);
  return [s.toLowerCase().codePointAt(0)!, s.toUpperCase().codePointAt(0)!];
}

function nullable(atom: Atom): boolean {
  if (atom.min === 0 || atom.assertion) return true;
  if (atom.alts) return atom.alts.some((seq) => seq.every(nullable));
  return false;
}

/** The characters a sequence can start with (back-references and unknowns: any). */
function firstSet(seq: Atom[]): CharSet {
  const sets: CharSet[] = [];
  for (const atom of seq) {
    if (atom.set) sets.push(atom.set);
    else if (atom.alts) sets.push(union(atom.alts.map(firstSet)));
    else if (!atom.assertion) sets.push(anyChar);
    if (!nullable(atom)) break;
  }
  return union(sets);
}

/** The characters an atom can repeat: a class's own, a group's first characters. */
function atomSet(atom: Atom): CharSet {
  return atom.set ?? (atom.alts ? union(atom.alts.map(firstSet)) : atom.assertion ? none : anyChar);
}

const varies = (a: Atom) => a.max > 1 && a.max > a.min;

/** The first problem found in a sequence and the groups in it. */
function inspect(seq: Atom[]): string | undefined {
  for (let k = 0; k < seq.length; k++) {
    const atom = seq[k]!;
    if (atom.alts) {
      if (atom.max > 1) {
        const problem = repeatedGroup(atom.alts);
        if (problem) return problem;
      }
      for (const alt of atom.alts) {
        const problem = inspect(alt);
        if (problem) return problem;
      }
    }
    if (atom.max === Infinity) {
      // Another unbounded repetition reachable with only optional atoms between.
      for (let j = k + 1; j < seq.length; j++) {
        const next = seq[j]!;
        if (next.max === Infinity && !next.assertion && overlaps(atomSet(atom), atomSet(next))) {
          return "two unbounded repetitions of the same characters follow each other with nothing required between them (as in \\s*\\s*), which takes polynomial time";
        }
        if (!nullable(next)) break;
      }
    }
  }
  return undefined;
}

function repeatedGroup(alts: Atom[][]): string | undefined {
  const firsts = alts.map(firstSet);
  for (let a = 0; a < alts.length; a++) {
    if (alts[a]!.every(nullable)) return "a repeated group can match empty text (as in (a|)* or (a?)*), which takes exponential time";
    for (let b = a + 1; b < alts.length; b++) {
      if (overlaps(firsts[a]!, firsts[b]!)) {
        return "a repeated group has alternatives that can start with the same character (as in (a|ab)*), which takes exponential time";
      }
    }
    // A repetition inside that can end where the group's next round starts.
    const seq = alts[a]!;
    for (let k = seq.length - 1; k >= 0; k--) {
      const atom = seq[k]!;
      if (varies(atom) && overlaps(atomSet(atom), firsts[a]!)) {
        return "a repeated group contains a repetition that can also start its next round (as in (a+)+ or (\\w+\\s?)*), which takes exponential time";
      }
      if (!nullable(atom)) break;
    }
  }
  return undefined;
}

/**
 * Why a pattern (JavaScript syntax, `u` flag) could take super-linear time, or undefined
 * when none of the shapes above is in it. `flags` are those it is compiled with;
 * `leadingRepetition: false` skips the last check, for patterns whose match (not only
 * whether there is one) is used.
 */
export function regexRisk(source: string, flags = "", options: { leadingRepetition?: boolean } = {}): string | undefined {
  let alts: Atom[][];
  try {
    alts = new Parser(source, flags.includes("i")).parse();
  } catch {
    return undefined; // not readable here: the schema's own check reports invalid patterns
  }
  for (const seq of alts) {
    const problem = inspect(seq);
    if (problem) return problem;
    const first = seq[0];
    if (options.leadingRepetition !== false && first && first.max === Infinity && !first.assertion) {
      return "it starts with an unbounded repetition and no ^, so every start position scans on (quadratic time); drop the leading repetition (.*x matches where x does) or anchor it with ^";
    }
  }
  return undefined;
}

/**
 * A pattern read into atoms (its alternatives, each a sequence), for other analyses of what
 * it can match; undefined when it cannot be read.
 */
export function readPattern(source: string, flags = ""): Atom[][] | undefined {
  try {
    return new Parser(source, flags.includes("i")).parse();
  } catch {
    return undefined;
  }
}
