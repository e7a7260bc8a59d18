/**
 * What a variable's `validation` blocks guarantee about its value. Terraform rejects a value
 * for which a condition is false or fails, so each condition holds for every value the
 * variable can have. parapet reads the simple, decidable parts of a condition joined by `&&`:
 *
 * - `contains([literals], var.x)`: the possible values;
 * - `can(regex("...", var.x))`, `startswith(var.x, "...")`, `endswith(var.x, "...")`: a pattern;
 * - `length(var.x) <= N` (and `<`, `>=`, `>`, `==`): bounds on the length of the text;
 * - `var.x >= N` (and `<=`, `<`, `>`, `==`): bounds on the number.
 *
 * Any other part (an `||`, a condition on another variable, a `for` expression) is left
 * out: leaving a part out only says less about the value, never something false.
 */
import { regexRisk } from "../../source/regex-safety.js";
import { containsUnknown, isUnknown, Unknown, type Resolved } from "../../values/value.js";
import { evaluateNode, type ExpressionCache, type ExpressionScope, type SyntaxNode } from "./expressions.js";
import { expressionNode, unwrap } from "./type-constraints.js";

export interface ValidatedFacts {
  /** The values the variable may take (from `contains`). */
  possible?: Resolved[];
  /** Patterns (JavaScript syntax, whole value) the value matches. */
  patterns: string[];
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
}

const CONSTANTS: ExpressionScope = { reference: (parts) => new Unknown(`${parts.join(".")} is not a constant`) };

/** The facts of all `validation` blocks of the variable `name` (`body` is its declaration). */
export function validatedFacts(name: string, body: Record<string, unknown>, cache: ExpressionCache): ValidatedFacts {
  const facts: ValidatedFacts = { patterns: [] };
  const blocks = Array.isArray(body["validation"]) ? body["validation"] : [];
  for (const block of blocks) {
    if (typeof block !== "object" || block === null) continue;
    const source = (block as Record<string, unknown>)["condition"];
    const node = expressionNode(source, cache);
    if (node && typeof source === "string") readCondition(node, { name, source, cache }, facts);
  }
  return facts;
}

interface Reading {
  name: string;
  source: string;
  cache: ExpressionCache;
}

function readCondition(node: SyntaxNode, at: Reading, facts: ValidatedFacts): void {
  const n = unwrap(node);
  const args = (n.children ?? []).map(unwrap);
  if (n.type === "binaryOp" && n.meta?.operator === "logicalAnd") {
    for (const side of args) readCondition(side, at, facts);
  } else if (n.type === "binaryOp") {
    readComparison(String(n.meta?.operator ?? ""), args, at, facts);
  } else if (n.type === "function") {
    readTest(String(n.meta?.name ?? ""), args, at, facts);
  }
}

function readTest(name: string, args: SyntaxNode[], at: Reading, facts: ValidatedFacts): void {
  if (name === "contains" && args.length === 2 && isVariable(args[1]!, at.name)) {
    const list = constant(args[0]!, at);
    if (Array.isArray(list) && list.every((v) => v !== null && typeof v !== "object")) narrowPossible(facts, list);
  } else if (name === "can" && args.length === 1) {
    const inner = unwrap(args[0]!);
    const innerArgs = (inner.children ?? []).map(unwrap);
    if (inner.type === "function" && inner.meta?.name === "regex" && innerArgs.length === 2 && isVariable(innerArgs[1]!, at.name)) {
      const pattern = constant(innerArgs[0]!, at);
      const whole = typeof pattern === "string" ? wholeValuePattern(pattern) : undefined;
      if (whole) facts.patterns.push(whole);
    }
  } else if ((name === "startswith" || name === "endswith") && args.length === 2 && isVariable(args[0]!, at.name)) {
    const text = constant(args[1]!, at);
    if (typeof text !== "string") return;
    const literal = escapePattern(text);
    facts.patterns.push(name === "startswith" ? `${literal}[\\s\\S]*` : `[\\s\\S]*${literal}`);
  }
}

function narrowPossible(facts: ValidatedFacts, values: Resolved[]): void {
  const before = facts.possible;
  facts.possible = before ? values.filter((v) => before.includes(v)) : [...values];
}

/** `length(var.x) OP N`, `var.x OP N` and the same with the operands swapped. */
function readComparison(operator: string, args: SyntaxNode[], at: Reading, facts: ValidatedFacts): void {
  if (args.length !== 2) return;
  const [left, right] = args as [SyntaxNode, SyntaxNode];
  const leftSubject = subjectOf(left, at);
  const subject = leftSubject ?? subjectOf(right, at);
  if (!subject) return;
  const bound = constant(leftSubject ? right : left, at);
  if (typeof bound !== "number") return;
  const op = leftSubject ? operator : FLIPPED[operator];
  if (!op) return;
  const integer = subject === "length";
  const [lower, upper] = subject === "length" ? (["minLength", "maxLength"] as const) : (["min", "max"] as const);
  // `<` and `>` on a number: the bound itself is admitted (it says a little more than the condition).
  const strict = integer ? 1 : 0;
  if (op === "lessThan") tighten(facts, upper, bound - strict);
  else if (op === "lessThanOrEqual") tighten(facts, upper, bound);
  else if (op === "greaterThan") tighten(facts, lower, bound + strict);
  else if (op === "greaterThanOrEqual") tighten(facts, lower, bound);
  else if (op === "equal") {
    tighten(facts, lower, bound);
    tighten(facts, upper, bound);
  }
}

const FLIPPED: Record<string, string> = {
  lessThan: "greaterThan",
  lessThanOrEqual: "greaterThanOrEqual",
  greaterThan: "lessThan",
  greaterThanOrEqual: "lessThanOrEqual",
  equal: "equal",
};

function tighten(facts: ValidatedFacts, key: "minLength" | "maxLength" | "min" | "max", value: number): void {
  const current = facts[key];
  const lower = key === "minLength" || key === "min";
  facts[key] = current === undefined ? value : lower ? Math.max(current, value) : Math.min(current, value);
}

/** What a comparison operand says about the variable: its value, or its length. */
function subjectOf(node: SyntaxNode, at: Reading): "value" | "length" | undefined {
  if (isVariable(node, at.name)) return "value";
  const args = (node.children ?? []).map(unwrap);
  if (node.type === "function" && node.meta?.name === "length" && args.length === 1 && isVariable(args[0]!, at.name)) return "length";
  return undefined;
}

/** `var.NAME` itself. */
function isVariable(node: SyntaxNode, name: string): boolean {
  const traversal = node.type === "scopeTraversal" ? node.meta?.traversal : undefined;
  return Array.isArray(traversal) && traversal.length === 2 && traversal[0]?.segment === "var" && traversal[1]?.segment === name;
}

/** The value of a node that refers to nothing, or undefined. */
function constant(node: SyntaxNode, at: Reading): Resolved | undefined {
  const value = evaluateNode(at.source, node, CONSTANTS, at.cache);
  return isUnknown(value) || containsUnknown(value) ? undefined : value;
}

function escapePattern(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/**
 * A pattern the whole value matches, from one that `regex()` finds somewhere in it: `^` and
 * `$` at the ends are dropped, a missing one becomes any text. RE2 syntax that JavaScript
 * reads differently or not at all (flags, `\A`, POSIX classes) makes the pattern unusable,
 * as does one that could take a backtracking engine exponential time.
 */
export function wholeValuePattern(re2: string): string | undefined {
  try {
    new RegExp(re2, "u");
  } catch {
    return undefined;
  }
  if (regexRisk(re2, "u", { leadingRepetition: false })) return undefined;
  if (hasTopLevelAlternation(re2)) return `[\\s\\S]*(?:${re2})[\\s\\S]*`;
  const start = re2.startsWith("^");
  const end = endsWithAnchor(re2);
  const body = re2.slice(start ? 1 : 0, end ? -1 : undefined);
  return `${start ? "" : "[\\s\\S]*"}(?:${body})${end ? "" : "[\\s\\S]*"}`;
}

/** True when the pattern ends in an unescaped `$`. */
function endsWithAnchor(pattern: string): boolean {
  if (!pattern.endsWith("$")) return false;
  let backslashes = 0;
  for (let i = pattern.length - 2; i >= 0 && pattern[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** True when `|` separates alternatives of the whole pattern (outside groups and classes). */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) return true;
  }
  return false;
}
