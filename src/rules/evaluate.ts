/**
 * Three-valued evaluation of rule conditions on graph nodes.
 *
 * Every condition yields pass, fail or undecided. An unknown value never counts as false:
 * a test on an unknown is undecided, unless the unknown lists its possible values and the
 * test gives the same answer for all of them. `all`/`any`/`not` follow Kleene's logic.
 */
import type { GraphNode, ResourceGraph } from "../graph/graph.js";
import { attributeLabel } from "../graph/attribute-names.js";
import { ABSENT, expand, getPath, isMap, sameValue, tooManyCombinations, Unknown, type Resolved } from "../values/value.js";
import { cidrContains, coversPort, isInternetCidr, type HostBits } from "./network.js";
import { checkDeadline } from "../limits/budget.js";
import { capsFirst } from "../limits/evaluation.js";
import { matchBlockers, neverInternet, shapeExcludes, shapeOf, unknownMayMatch } from "./shape-tests.js";
import type { Condition, OutcomeChoice, ValueTest } from "../model/rule.js";

export type Outcome = "pass" | "fail" | "undecided";

export interface Evaluation {
  outcome: Outcome;
  /** Why the outcome is undecided. */
  reason?: string;
  /** The attribute that decided the outcome, for the finding's location. */
  blame?: string;
}

export interface EvalContext {
  graph: ResourceGraph;
  /** The node the rule is checking (for `{ subject: ... }` operands). */
  subject?: GraphNode;
  /** Compiled regular expressions of the rule, by source. */
  regex(source: string): RegExp;
}

const pass = (blame?: string): Evaluation => ({ outcome: "pass", ...(blame ? { blame } : {}) });
const fail = (blame?: string): Evaluation => ({ outcome: "fail", ...(blame ? { blame } : {}) });
const undecided = (reason: string, blame?: string): Evaluation => ({ outcome: "undecided", reason, ...(blame ? { blame } : {}) });

function choice(c: OutcomeChoice, reason: string, blame?: string): Evaluation {
  return c === "undecided" ? undecided(reason, blame) : { outcome: c, ...(blame ? { blame } : {}) };
}

/** Kleene AND: any fail fails, all pass passes, else undecided. */
export function allOf(results: Evaluation[]): Evaluation {
  const failed = results.find((r) => r.outcome === "fail");
  if (failed) return failed;
  const open = results.find((r) => r.outcome === "undecided");
  if (open) return open;
  return results[0] ?? pass();
}

/** Kleene OR: any pass passes, all fail fails, else undecided. */
export function anyOf(results: Evaluation[]): Evaluation {
  const passed = results.find((r) => r.outcome === "pass");
  if (passed) return passed;
  const open = results.find((r) => r.outcome === "undecided");
  if (open) return open;
  return results[0] ?? fail();
}

function negate(r: Evaluation): Evaluation {
  if (r.outcome === "undecided") return r;
  return { ...r, outcome: r.outcome === "pass" ? "fail" : "pass" };
}

type TestResult = boolean | Unknown | Evaluation;

function toEvaluation(r: TestResult, blame: string | undefined): Evaluation {
  if (r instanceof Unknown) return undecided(r.reason, blame);
  if (typeof r === "boolean") return r ? pass(blame) : fail(blame);
  return r;
}

const reasonOf = (values: Resolved[]) => values.find((v): v is Unknown => v instanceof Unknown)?.reason ?? "value unknown";

/**
 * Evaluates a predicate over values that may be unknown: each unknown with possible values
 * is tried with every one of them; the result is decided only when all tries agree.
 */
function overPossibilities(values: Resolved[], test: (known: Resolved[]) => TestResult, blame?: string): Evaluation {
  // Without possible values (the common case) there is one try: the values themselves.
  if (!values.some((v) => v instanceof Unknown && v.possible)) return settleOne(toEvaluation(test(values), blame), values, blame);
  const combos = expand(values);
  if (!combos) return undecided(tooManyCombinations(reasonOf(values)), blame);
  return agreement(combos.map((combo) => toEvaluation(test(combo), blame)), reasonOf(values), () => blame);
}

/**
 * The outcome of several tries (one per possible value): decided when every try gives the
 * same answer, else undecided with the first open try's reason (or `reason`) and the blame
 * `blameOf` picks.
 */
function agreement(results: readonly Evaluation[], reason: string, blameOf: (open: Evaluation | undefined) => string | undefined): Evaluation {
  if (results.every((r) => r.outcome === "pass")) return results[0]!;
  if (results.every((r) => r.outcome === "fail")) return results[0]!;
  const open = results.find((r) => r.outcome === "undecided");
  return undecided(open?.reason ?? reason, blameOf(open));
}

/** The outcome of a single try: as it is when decided, else undecided with the given blame. */
function settleOne(r: Evaluation, values: Resolved[], blame: string | undefined): Evaluation {
  return r.outcome === "undecided" ? undecided(r.reason ?? reasonOf(values), blame) : r;
}

/** {@link overPossibilities} of one value tested by {@link testValue}, without building a try for a value that has no possible values. */
function testOne(v: Resolved, test: ValueTest, ctx: EvalContext, node: GraphNode, path: string, blame: string | undefined): Evaluation {
  if (v instanceof Unknown && v.possible) return overPossibilities([v], ([x]) => testValue(x!, test, ctx, node, path), blame);
  return settleOne(toEvaluation(testValue(v, test, ctx, node, path), blame), [v], blame);
}

/** `{ subject: "attr" }` operands read the checked node; anything else is a literal. */
function operand(x: unknown, ctx: EvalContext): Resolved | unknown {
  if (x && typeof x === "object" && !Array.isArray(x) && "subject" in (x as object) && Object.keys(x as object).length === 1) {
    const path = (x as { subject: string }).subject;
    return ctx.subject ? getPath(ctx.subject.attributes, path) : ABSENT;
  }
  return x;
}

function scalarEquals(a: Resolved, b: unknown): boolean {
  if (sameValue(a, b as Resolved)) return true;
  const scalar = (x: unknown) => typeof x === "string" || typeof x === "number" || typeof x === "boolean";
  return scalar(a) && scalar(b) && String(a) === String(b);
}

function isNonEmpty(v: Resolved): boolean {
  if (v === ABSENT || v === null) return false;
  if (v instanceof Unknown) return true;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

function numberOf(v: Resolved): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

function compareNumbers(v: Resolved, t: { gt?: number; gte?: number; lt?: number; lte?: number; equals?: number }): boolean {
  const n = numberOf(v);
  if (n === undefined) return false;
  return (
    (t.gt === undefined || n > t.gt) &&
    (t.gte === undefined || n >= t.gte) &&
    (t.lt === undefined || n < t.lt) &&
    (t.lte === undefined || n <= t.lte) &&
    (t.equals === undefined || n === t.equals)
  );
}

/** The tests whose operand may be read from the checked node (`{ subject: ... }`). */
const OPERAND_KEYS = ["equals", "not_equals", "gt", "gte", "lt", "lte", "contains_cidr"] as const;

/** Tests one value (a member of the possible values: never an unknown with possible values). */
function testValue(v: Resolved, test: ValueTest, ctx: EvalContext, node: GraphNode, path: string): boolean | Unknown | Evaluation {
  if (test.exists !== undefined) return (v !== ABSENT) === test.exists;
  if (test.matches !== undefined && v instanceof Unknown) {
    // Text known inside a partly unknown string is enough to find a match in it; no match is
    // possible when neither the known text nor any value the unknown parts may take makes one.
    if (v.fragments?.some((t) => ctx.regex(test.matches!).test(t))) return true;
    if (unknownMayMatch(v, test.matches, test.secret === true) === false) return false;
    if (v.parts) return blockedBy(matchBlockers(v, test.matches, test.secret === true)) ?? v;
  }
  // Set to something: "" and empty lists are not; an unknown value is when it names a
  // resource, and undecided otherwise (a parameter without a value might be given "").
  if (test.not_empty !== undefined) {
    if (v instanceof Unknown && !v.ref && !v.refs) return v;
    return isNonEmpty(v) === test.not_empty;
  }
  if (v instanceof Unknown) return decidedByShape(v, test) ?? v;
  // Operands taken from the checked node may themselves be unknown.
  for (const key of OPERAND_KEYS) {
    if (test[key] === undefined) continue;
    const o = operand(test[key], ctx);
    if (o instanceof Unknown) return o;
    if (o === ABSENT) return false;
    if (o !== test[key]) return testValue(v, { [key]: o } as ValueTest, ctx, node, path);
  }
  if (test.equals !== undefined) return scalarEquals(v, test.equals);
  if (test.not_equals !== undefined) return !scalarEquals(v, test.not_equals);
  if (test.in !== undefined) return test.in.some((x) => scalarEquals(v, x));
  if (test.not_in !== undefined) return !test.not_in.some((x) => scalarEquals(v, x));
  if (test.gt !== undefined || test.gte !== undefined || test.lt !== undefined || test.lte !== undefined) {
    return compareNumbers(v, { gt: test.gt, gte: test.gte, lt: test.lt, lte: test.lte });
  }
  if (test.matches !== undefined) return typeof v === "string" && ctx.regex(test.matches).test(v);
  if (test.internet !== undefined) return (typeof v === "string" && isInternetCidr(v, hostBitsOf(node))) === test.internet;
  if (test.contains_cidr !== undefined) return typeof v === "string" && typeof test.contains_cidr === "string" && cidrContains(v, test.contains_cidr, hostBitsOf(node));
  if (test.length !== undefined) {
    const len = Array.isArray(v) ? v.length : typeof v === "string" ? v.length : isMap(v) ? Object.keys(v).length : v === ABSENT ? 0 : undefined;
    return len !== undefined && compareNumbers(len, test.length);
  }
  if (test.some !== undefined || test.every !== undefined) {
    const items = Array.isArray(v) ? v : v === ABSENT ? [] : [v];
    const cond = (test.some ?? test.every)!;
    // An item that one possible value removes counts for neither side: not a match for some, no exception for every.
    const removed = test.some ? fail(path) : pass(path);
    const results = items.map((item) => evaluateItem(cond, item, ctx, node, path, removed));
    const r = test.some ? anyOf(results) : allOf(results);
    if (items.length === 0) return test.some ? fail(path) : pass(path);
    return { ...r, blame: path };
  }
  return true;
}

/** An unknown whose reason names every unknown that blocks a decision (distinct reasons, in order). */
function blockedBy(blockers: readonly Unknown[]): Unknown | undefined {
  const reasons = capsFirst([...new Set(blockers.map((b) => b.reason))]);
  if (reasons.length === 0) return undefined;
  const more = reasons.length - MAX_REASONS;
  return new Unknown(reasons.slice(0, MAX_REASONS).join("; ") + (more > 0 ? ` (and ${more} more unknown part${more > 1 ? "s" : ""})` : ""));
}

/** How many blocking parts a reason names before it counts the rest. */
const MAX_REASONS = 3;

/**
 * A comparison decided by what is known about an unknown value: `equals`/`in` a literal its
 * shape rules out, `internet` on a value that is never a block open to the internet. Undefined otherwise.
 */
function decidedByShape(v: Unknown, test: ValueTest): boolean | undefined {
  if (test.internet !== undefined) return neverInternet(v) ? !test.internet : undefined;
  const shape = shapeOf(v);
  if (!shape) return undefined;
  const excluded = (x: unknown) => shapeExcludes(shape, x);
  if (test.equals !== undefined && excluded(test.equals)) return false;
  if (test.not_equals !== undefined && excluded(test.not_equals)) return true;
  if (test.in !== undefined && test.in.every(excluded)) return false;
  if (test.not_in !== undefined && test.not_in.every(excluded)) return true;
  return undefined;
}

/** The Terraform provider rejects CIDR blocks with bits set past the prefix; EC2 clears them. */
const hostBitsOf = (node: GraphNode): HostBits => (node.format === "terraform" ? "rejected" : "masked");

/**
 * A condition on an item of a list: on each of its possible values together when it has
 * them (an item under `Fn::If`), so that the attributes of one possible value are read
 * together and never mixed with those of another; `removed` stands for a value that removes the item.
 */
function evaluateItem(cond: Condition, item: Resolved, ctx: EvalContext, node: GraphNode, prefix: string, removed: Evaluation): Evaluation {
  if (!(item instanceof Unknown) || !item.possible) return evaluateOn(cond, item, ctx, node, prefix);
  const results = item.possible.map((p) => (p === ABSENT ? removed : evaluateItem(cond, p, ctx, node, prefix, removed)));
  return agreement(results, item.reason, (open) => (open ?? results.find((r) => r.outcome === "fail"))?.blame);
}

/** Evaluates a condition with `subject` as the value attribute paths are read from. */
function evaluateOn(cond: Condition, subject: Resolved, ctx: EvalContext, node: GraphNode, prefix: string): Evaluation {
  checkDeadline();
  if ("all" in cond) return allOf(cond.all.map((c) => evaluateOn(c, subject, ctx, node, prefix)));
  if ("any" in cond) return anyOf(cond.any.map((c) => evaluateOn(c, subject, ctx, node, prefix)));
  if ("not" in cond) return negate(evaluateOn(cond.not, subject, ctx, node, prefix));
  if ("attr" in cond) {
    const path = cond.attr === "." ? prefix : prefix ? `${prefix}.${cond.attr}` : cond.attr;
    const value = cond.attr === "." ? subject : getPath(subject, cond.attr);
    return testOne(value, cond, ctx, node, path, path || undefined);
  }
  if ("ports" in cond) {
    const values = [cond.ports.protocol, cond.ports.from, cond.ports.to].map((p) => getPath(subject, p));
    const blame = prefix ? `${prefix}.${cond.ports.to}` : cond.ports.protocol;
    return overPossibilities(values, ([p, f, t]) => coversPort(p!, f!, t!, cond.covers), blame);
  }
  if ("fact" in cond) {
    const value = ctx.graph.fact(node.scope, cond.fact) ?? ABSENT;
    return testOne(value, cond, ctx, node, "", undefined);
  }
  if ("related" in cond) return evaluateRelated(cond, subject, ctx, node);
  if ("kind_in" in cond) return cond.kind_in.includes(node.kind) || cond.kind_in.includes(node.nativeType) ? pass() : fail();
  if ("resources" in cond) return countResources(cond, ctx);
  if ("referrers" in cond) {
    const kinds = cond.referrers.kinds;
    const from = ctx.graph.referrers(node, cond.referrers.edge).filter((n) => !kinds || kinds.includes(n.kind));
    if (from.length === 0) return choice(cond.none ?? "fail", `nothing in the deployment uses ${node.address}`);
    return allOf(from.map((n) => evaluateOn(cond.every, n.attributes, ctx, n, "")));
  }
  return undecided("the rule has a condition parapet does not know");
}

/** How many nodes of the deployment have the kinds and satisfy `where`; undecided ones may count. */
function countResources(cond: Extract<Condition, { resources: unknown }>, ctx: EvalContext): Evaluation {
  let sure = 0;
  let maybe = 0;
  let reason = "";
  for (const n of ctx.graph.nodes) {
    if (n.childPath || !(cond.resources.kinds.includes(n.kind) || cond.resources.kinds.includes(n.nativeType))) continue;
    const r = cond.resources.where ? evaluate(cond.resources.where, n, ctx) : pass();
    if (r.outcome === "pass" && !n.presence) sure++;
    else if (r.outcome !== "fail") {
      maybe++;
      reason ||= r.reason ?? n.presence?.reason ?? "";
    }
  }
  const holds = (c: number) => compareNumbers(c, cond.count);
  if (holds(sure) && (maybe === 0 || holds(sure + maybe))) return pass();
  if (!holds(sure) && (maybe === 0 || !holds(sure + maybe))) return fail();
  return undecided(reason || "some resources of the deployment cannot be decided");
}

function evaluateRelated(
  cond: Extract<Condition, { related: string }>,
  subject: Resolved,
  ctx: EvalContext,
  node: GraphNode,
): Evaluation {
  const attr = cond.related;
  const targets = ctx.graph.related(node, attr.split(".")[0]!);
  const value = getPath(subject, attr);
  if (targets.length > 0) {
    const results = targets.map((t) => evaluateOn(cond.assert, t.attributes, ctx, t, ""));
    return { ...allOf(results), blame: attr };
  }
  const label = subject === node.attributes ? attributeLabel(node, attr, value) : attr;
  if (value === ABSENT) return choice(cond.absent ?? "fail", `${label} is not set`, attr);
  const undeclared = findUndeclared(value);
  if (undeclared) return undecided(undeclared.reason, attr);
  if (value instanceof Unknown && value.possible?.includes(ABSENT)) return undecided(value.reason, attr);
  return choice(cond.external ?? "undecided", `${label} refers to a resource outside this deployment`, attr);
}

function findUndeclared(v: Resolved): Unknown | undefined {
  if (v instanceof Unknown) {
    if (v.ref?.undeclared) return v;
    for (const p of v.possible ?? []) {
      const u = findUndeclared(p);
      if (u) return u;
    }
  } else if (Array.isArray(v)) {
    for (const x of v) {
      const u = findUndeclared(x);
      if (u) return u;
    }
  } else if (isMap(v)) {
    for (const x of Object.values(v)) {
      const u = findUndeclared(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** Evaluates a condition against a node's attributes. */
export function evaluate(cond: Condition, node: GraphNode, ctx: EvalContext, subject: Resolved = node.attributes): Evaluation {
  return evaluateOn(cond, subject, ctx, node, "");
}
