// The rule engine's three-valued logic, on hand-made graph nodes.
import { describe, expect, it } from "vitest";
import { ResourceGraph, type GraphNode } from "../../src/graph/graph.js";
import { checkNode } from "../../src/rules/engine.js";
import { allOf, anyOf, evaluate, type EvalContext, type Evaluation } from "../../src/rules/evaluate.js";
import type { Condition, Rule } from "../../src/model/rule.js";
import type { SourceFile } from "../../src/source/location.js";
import { ABSENT, Unknown, type Resolved, type ResolvedMap } from "../../src/values/value.js";

const source: SourceFile = { path: "t.yaml", absolutePath: "/t.yaml", text: "", locate: () => undefined };

function node(address: string, attributes: ResolvedMap, kind = "test.kind"): GraphNode {
  return {
    id: `t#${address}`,
    kind,
    nativeType: "Test::Type",
    format: "cloudformation",
    scope: "t",
    address,
    attributes,
    attributeSources: {},
    resourcePath: ["Resources", address],
    source,
  };
}

function ctxFor(graph = new ResourceGraph()): EvalContext {
  return { graph, regex: (s) => new RegExp(s, "u") };
}

const unknown = (reason = "param X has no default") => new Unknown(reason);
const maybe = (...possible: Resolved[]) => new Unknown("condition C cannot be decided", { possible });

function outcome(cond: Condition, attributes: ResolvedMap, graph?: ResourceGraph): Evaluation["outcome"] {
  return evaluate(cond, node("N", attributes), ctxFor(graph)).outcome;
}

describe("value tests", () => {
  it.each<[string, Condition, ResolvedMap, Evaluation["outcome"]]>([
    ["equals on a known value", { attr: "a", equals: true }, { a: true }, "pass"],
    ["equals on a different value", { attr: "a", equals: true }, { a: false }, "fail"],
    ["equals compares scalars as text", { attr: "a", equals: 22 }, { a: "22" }, "pass"],
    ["equals on a missing value", { attr: "a", equals: true }, {}, "fail"],
    ["equals on an unknown is undecided", { attr: "a", equals: true }, { a: unknown() }, "undecided"],
    ["possible values that all pass", { attr: "a", equals: "x" }, { a: maybe("x", "x") }, "pass"],
    ["possible values that all fail", { attr: "a", in: ["x", "y"] }, { a: maybe("p", "q") }, "fail"],
    ["possible values that disagree", { attr: "a", equals: "x" }, { a: maybe("x", "y") }, "undecided"],
    ["exists on a known value", { attr: "a", exists: true }, { a: "v" }, "pass"],
    ["exists on a missing value", { attr: "a", exists: true }, {}, "fail"],
    ["exists on an unknown value: it is there", { attr: "a", exists: true }, { a: unknown() }, "pass"],
    ["exists when a condition may remove it", { attr: "a", exists: true }, { a: maybe("v", ABSENT) }, "undecided"],
    ["exists false", { attr: "a", exists: false }, {}, "pass"],
    ["not_empty on text", { attr: "a", not_empty: true }, { a: "alias/logs" }, "pass"],
    ["not_empty on an empty string", { attr: "a", not_empty: true }, { a: " " }, "fail"],
    ["not_empty on an empty list", { attr: "a", not_empty: true }, { a: [] }, "fail"],
    ["not_empty on a missing value", { attr: "a", not_empty: true }, {}, "fail"],
    ["not_empty on a reference to a resource", { attr: "a", not_empty: true }, { a: new Unknown("id", { ref: { target: "Key" } }) }, "pass"],
    ["not_empty on an unknown that names nothing", { attr: "a", not_empty: true }, { a: unknown() }, "undecided"],
    ["nested path", { attr: "m.t", equals: "required" }, { m: { t: "required" } }, "pass"],
    ["not_equals", { attr: "a", not_equals: "x" }, { a: "y" }, "pass"],
    ["not_in", { attr: "a", not_in: ["x"] }, { a: "x" }, "fail"],
    ["gte on a numeric string", { attr: "a", gte: 14 }, { a: "14" }, "pass"],
    ["lt", { attr: "a", lt: 10 }, { a: 12 }, "fail"],
    ["matches", { attr: "a", matches: "^AKIA[0-9A-Z]{16}$" }, { a: "AKIAABCDEFGHIJKLMNOP" }, "pass"],
    ["matches in the known text of a partly unknown string", { attr: "a", matches: "AKIA[0-9A-Z]{16}" }, { a: new Unknown("region", { fragments: ["key=AKIAABCDEFGHIJKLMNOP ", " end"] }) }, "pass"],
    ["no match in the known text is undecided", { attr: "a", matches: "AKIA[0-9A-Z]{16}" }, { a: new Unknown("region", { fragments: ["nothing here"] }) }, "undecided"],
    ["internet IPv4", { attr: "a", internet: true }, { a: "0.0.0.0/0" }, "pass"],
    ["internet IPv6", { attr: "a", internet: true }, { a: "::/0" }, "pass"],
    ["internet IPv6 long form", { attr: "a", internet: true }, { a: "0:0:0:0:0:0:0:0/0" }, "pass"],
    ["a private range is not the internet", { attr: "a", internet: true }, { a: "10.0.0.0/8" }, "fail"],
    ["an invalid block is not the internet", { attr: "a", internet: true }, { a: "127.0.0.1/33" }, "fail"],
    ["contains_cidr with a literal block", { attr: "a", contains_cidr: "203.0.113.0/24" }, { a: "0.0.0.0/0" }, "pass"],
    ["contains_cidr of a wider block", { attr: "a", contains_cidr: "0.0.0.0/0" }, { a: "0.0.0.0/1" }, "fail"],
    ["contains_cidr on an unknown block", { attr: "a", contains_cidr: "10.0.0.0/8" }, { a: unknown() }, "undecided"],
    ["length", { attr: "a", length: { gte: 1 } }, { a: ["r"] }, "pass"],
    ["length of an empty list", { attr: "a", length: { gte: 1 } }, { a: [] }, "fail"],
    ["some item", { attr: "a", some: { attr: "k", equals: 1 } }, { a: [{ k: 0 }, { k: 1 }] }, "pass"],
    ["every item", { attr: "a", every: { attr: "k", equals: 1 } }, { a: [{ k: 0 }, { k: 1 }] }, "fail"],
    ["every item, one unknown", { attr: "a", every: { attr: "k", equals: 1 } }, { a: [{ k: 1 }, { k: unknown() }] }, "undecided"],
    ["items themselves", { attr: "a", some: { attr: ".", equals: "x" } }, { a: ["w", "x"] }, "pass"],
  ])("%s", (_name, cond, attributes, want) => {
    expect(outcome(cond, attributes)).toBe(want);
  });
});

describe("Kleene logic", () => {
  const P: Evaluation = { outcome: "pass" };
  const F: Evaluation = { outcome: "fail" };
  const U: Evaluation = { outcome: "undecided", reason: "r" };
  it.each<[Evaluation[], string, string]>([
    [[P, P], "pass", "pass"],
    [[P, F], "fail", "pass"],
    [[P, U], "undecided", "pass"],
    [[F, U], "fail", "undecided"],
    [[U, U], "undecided", "undecided"],
    [[F, F], "fail", "fail"],
  ])("all/any of %j", (inputs, all, any) => {
    expect(allOf(inputs).outcome).toBe(all);
    expect(anyOf(inputs).outcome).toBe(any);
  });

  it("not keeps undecided undecided", () => {
    expect(outcome({ not: { attr: "a", equals: 1 } }, { a: unknown() })).toBe("undecided");
    expect(outcome({ not: { attr: "a", equals: 1 } }, { a: 1 })).toBe("fail");
  });

  it("a deciding operand wins over an unknown one", () => {
    const cond: Condition = { any: [{ attr: "a", equals: 1 }, { attr: "b", equals: 1 }] };
    expect(outcome(cond, { a: unknown(), b: 1 })).toBe("pass");
    expect(outcome({ all: [{ attr: "a", equals: 1 }, { attr: "b", equals: 1 }] }, { a: unknown(), b: 2 })).toBe("fail");
  });

  it("the reason of an undecided outcome is the unknown value's reason", () => {
    const r = evaluate({ attr: "a", equals: 1 }, node("N", { a: unknown("parameter AdminCidr has no default") }), ctxFor());
    expect(r).toMatchObject({ outcome: "undecided", reason: "parameter AdminCidr has no default", blame: "a" });
  });
});

describe("port coverage", () => {
  const ssh: Condition = { ports: { protocol: "p", from: "f", to: "t" }, covers: { protocol: "tcp", port: 22 } };
  it.each<[string, ResolvedMap, Evaluation["outcome"]]>([
    ["exact port", { p: "tcp", f: 22, t: 22 }, "pass"],
    ["range that includes it", { p: "tcp", f: 20, t: 25 }, "pass"],
    ["range that excludes it", { p: "tcp", f: 23, t: 80 }, "fail"],
    ["all protocols ignore ports", { p: "all", f: 443, t: 443 }, "pass"],
    ["udp does not carry ssh", { p: "udp", f: 0, t: 65535 }, "fail"],
    ["ports as strings", { p: "tcp", f: "22", t: "22" }, "pass"],
    ["-1 means every port", { p: "tcp", f: -1, t: -1 }, "pass"],
    ["missing ports mean every port", { p: "tcp" }, "pass"],
    ["unknown port", { p: "tcp", f: unknown(), t: unknown() }, "undecided"],
    ["unknown port on another protocol is irrelevant", { p: "udp", f: unknown(), t: unknown() }, "fail"],
    ["unknown protocol", { p: unknown(), f: 22, t: 22 }, "undecided"],
    ["possible ports that all cover it", { p: "tcp", f: maybe(22, 20), t: 22 }, "pass"],
  ])("%s", (_name, attributes, want) => {
    expect(outcome(ssh, attributes)).toBe(want);
  });

  it("all_ports needs the whole range", () => {
    const all: Condition = { ports: { protocol: "p", from: "f", to: "t" }, covers: { protocol: "tcp", all_ports: true } };
    expect(outcome(all, { p: "tcp", f: 0, t: 65535 })).toBe("pass");
    expect(outcome(all, { p: "tcp", f: 1, t: 65535 })).toBe("fail");
    expect(outcome(all, { p: "all" })).toBe("pass");
  });
});

describe("graph conditions", () => {
  function graphWith(...nodes: GraphNode[]): ResourceGraph {
    const g = new ResourceGraph();
    for (const n of nodes) g.addNode(n);
    return g;
  }
  const hasProfile: Condition = { attr: "profile", exists: true };

  it("related follows an edge to the referenced node", () => {
    const lt = node("LT", { profile: "p" });
    const inst = node("I", { lt: new Unknown("id", { ref: { target: "LT" } }) });
    const g = graphWith(lt, inst);
    g.addEdge({ from: inst.id, to: lt.id, type: "lt" });
    expect(evaluate({ related: "lt", assert: hasProfile }, inst, ctxFor(g)).outcome).toBe("pass");
    lt.attributes = {};
    expect(evaluate({ related: "lt", assert: hasProfile }, inst, ctxFor(g)).outcome).toBe("fail");
  });

  it("related: absent, external and undeclared targets", () => {
    const g = new ResourceGraph();
    const cond = (extra: Partial<Extract<Condition, { related: string }>>): Condition => ({ related: "lt", assert: hasProfile, ...extra });
    expect(evaluate(cond({}), node("A", {}), ctxFor(g)).outcome).toBe("fail");
    expect(evaluate(cond({ absent: "pass" }), node("A", {}), ctxFor(g)).outcome).toBe("pass");
    expect(evaluate(cond({}), node("B", { lt: "lt-0123" }), ctxFor(g)).outcome).toBe("undecided");
    expect(evaluate(cond({ external: "pass" }), node("B", { lt: "lt-0123" }), ctxFor(g)).outcome).toBe("pass");
    const undeclared = new Unknown("Ref to Nope, which the template does not declare", { ref: { target: "Nope", undeclared: true } });
    const r = evaluate(cond({ external: "pass" }), node("C", { lt: undeclared }), ctxFor(g));
    expect(r).toMatchObject({ outcome: "undecided", reason: expect.stringContaining("Nope") });
  });

  it("referrers: every node that references this one", () => {
    const lt = node("LT", {});
    const a = node("A", { profile: "p" });
    const b = node("B", {});
    const g = graphWith(lt, a, b);
    const cond: Condition = { referrers: { edge: "lt" }, every: hasProfile };
    expect(evaluate(cond, lt, ctxFor(g)).outcome).toBe("fail"); // nobody uses it
    g.addEdge({ from: a.id, to: lt.id, type: "lt" });
    expect(evaluate(cond, lt, ctxFor(g)).outcome).toBe("pass");
    g.addEdge({ from: b.id, to: lt.id, type: "lt" });
    expect(evaluate(cond, lt, ctxFor(g)).outcome).toBe("fail");
  });

  it("facts hold for a whole scope", () => {
    const g = new ResourceGraph();
    const cond: Condition = { fact: "ebs_encryption_by_default", equals: true };
    expect(evaluate(cond, node("V", {}), ctxFor(g)).outcome).toBe("fail");
    g.setFact("t", "ebs_encryption_by_default", true);
    expect(evaluate(cond, node("V", {}), ctxFor(g)).outcome).toBe("pass");
  });
});

describe("rule outcome", () => {
  const rule = {
    id: "r",
    where: { attr: "direction", equals: "ingress" },
    assert: { attr: "open", equals: false },
  } as unknown as Rule;

  it("where filters the nodes a rule applies to", () => {
    expect(checkNode(rule, node("E", { direction: "egress", open: true }), ctxFor())).toBeUndefined();
    expect(checkNode(rule, node("I", { direction: "ingress", open: true }), ctxFor())?.outcome).toBe("fail");
  });

  it("an undecided where turns a failure into undecided, never into a pass", () => {
    expect(checkNode(rule, node("U", { direction: unknown(), open: true }), ctxFor())?.outcome).toBe("undecided");
    expect(checkNode(rule, node("U", { direction: unknown(), open: false }), ctxFor())?.outcome).toBe("pass");
  });

  it("a resource that may not be created is undecided instead of failing", () => {
    const n = { ...node("C", { direction: "ingress", open: true }), presence: unknown("created only when IsProd holds") };
    expect(checkNode(rule, n, ctxFor())).toMatchObject({ outcome: "undecided", reason: "created only when IsProd holds" });
  });
});

describe("contains_cidr with the checked node's block", () => {
  const cond: Condition = { attr: "a", contains_cidr: { subject: "b" } };
  it.each<[string, ResolvedMap, Evaluation["outcome"]]>([
    ["a block that contains it", { a: "::/0", b: "2001:db8::/32" }, "pass"],
    ["a narrower block", { a: "2001:db8::/32", b: "::/0" }, "fail"],
    ["the checked node has no block", { a: "::/0" }, "fail"],
    ["the checked node's block is unknown", { a: "::/0", b: unknown() }, "undecided"],
  ])("%s", (_name, attributes, want) => {
    const n = node("N", attributes);
    expect(evaluate(cond, n, { ...ctxFor(), subject: n }).outcome).toBe(want);
  });
});

describe("some / every over items that are possible values (an item under Fn::If)", () => {
  const sshOpen: Condition = { all: [{ attr: "port", equals: 22 }, { attr: "cidr", equals: "0.0.0.0/0" }] };
  const item = (port: number, cidr: string) => ({ port, cidr });
  it.each<[string, Condition, Resolved[], Evaluation["outcome"]]>([
    ["some: neither possible value matches (their attributes are read together)", { attr: "l", some: sshOpen }, [maybe(item(22, "10.0.0.0/8"), item(443, "0.0.0.0/0"))], "fail"],
    ["some: every possible value matches", { attr: "l", some: sshOpen }, [maybe(item(22, "0.0.0.0/0"), { port: 22, cidr: "0.0.0.0/0", x: 1 })], "pass"],
    ["some: one possible value matches", { attr: "l", some: sshOpen }, [maybe(item(22, "0.0.0.0/0"), item(443, "0.0.0.0/0"))], "undecided"],
    ["some: a removed item is no match", { attr: "l", some: sshOpen }, [maybe(item(22, "0.0.0.0/0"), ABSENT)], "undecided"],
    ["some: a removed item beside a match", { attr: "l", some: sshOpen }, [maybe(item(22, "10.0.0.0/8"), ABSENT), item(22, "0.0.0.0/0")], "pass"],
    ["every: a removed item is no exception", { attr: "l", every: { attr: "port", equals: 443 } }, [maybe(item(443, "x"), ABSENT)], "pass"],
    ["every: one possible value is an exception", { attr: "l", every: { attr: "port", equals: 443 } }, [maybe(item(443, "x"), item(22, "x"))], "undecided"],
    ["every: nested possible values", { attr: "l", every: { attr: "port", equals: 443 } }, [maybe(maybe(item(443, "x"), ABSENT), item(443, "y"))], "pass"],
  ])("%s", (_name, cond, items, expected) => {
    expect(outcome(cond, { l: items })).toBe(expected);
  });

  it("an undecided item names the condition that decides it", () => {
    const r = evaluate({ attr: "l", some: sshOpen }, node("N", { l: [maybe(item(22, "0.0.0.0/0"), ABSENT)] }), ctxFor());
    expect(r.reason).toBe("condition C cannot be decided");
  });
});
