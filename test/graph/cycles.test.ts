// Loops of a dependency graph, as a table: members in order, edges → each loop's circuit from
// its first member and the members of the loop the circuit leaves out; and how a loop is named.
import { describe, expect, it } from "vitest";
import { describeCycle, findCycles, type Cycle } from "../../src/graph/cycles.js";

type Row = [name: string, order: string[], edges: Record<string, string[]>, cycles: Cycle[]];

const rows: Row[] = [
  ["no edges", ["A", "B"], {}, []],
  ["a chain without a loop", ["A", "B", "C"], { A: ["B"], B: ["C"] }, []],
  ["two edges the same way (DependsOn and Ref) are no loop", ["A", "B"], { A: ["B", "B"] }, []],
  ["a member that depends on itself", ["A", "B"], { A: ["B"], B: ["B"] }, [{ path: ["B"], others: [] }]],
  ["two members", ["A", "B"], { A: ["B"], B: ["A"] }, [{ path: ["A", "B"], others: [] }]],
  ["named from the first member in order, whichever the edges start from", ["A", "B", "C"], { C: ["B"], B: ["A"], A: ["C"] }, [{ path: ["A", "C", "B"], others: [] }]],
  ["edges to names outside the graph are ignored", ["A", "B"], { A: ["B", "Param"], B: ["A", "AWS::Region"] }, [{ path: ["A", "B"], others: [] }]],
  [
    "one loop with two circuits through its first member is reported once, with the member the shortest circuit leaves out",
    ["A", "B", "C"],
    { A: ["B", "C"], B: ["A"], C: ["A"] },
    [{ path: ["A", "B"], others: ["C"] }],
  ],
  [
    "two separate loops, in the order of their first members",
    ["A", "B", "C", "D", "E"],
    { D: ["E"], E: ["D"], A: ["B"], B: ["A"], C: ["A", "D"] },
    [
      { path: ["A", "B"], others: [] },
      { path: ["D", "E"], others: [] },
    ],
  ],
  [
    "the shortest circuit back to the first member",
    ["A", "B", "C", "D"],
    { A: ["B"], B: ["C", "A"], C: ["D"], D: ["A"] },
    [{ path: ["A", "B"], others: ["C", "D"] }],
  ],
];

describe("findCycles", () => {
  it.each(rows)("%s", (_name, order, edges, cycles) => {
    expect(findCycles(order, new Map(Object.entries(edges)))).toEqual(cycles);
  });

  it("a loop of 20,000 members does not exhaust the stack, and is one loop", () => {
    const order = Array.from({ length: 20_000 }, (_, i) => `R${i}`);
    const edges = new Map(order.map((id, i) => [id, [order[(i + 1) % order.length]!]]));
    const cycles = findCycles(order, edges);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.path).toEqual(order);
  });
});

describe("describeCycle", () => {
  it.each<[string, Cycle, string]>([
    ["a member that depends on itself", { path: ["A"], others: [] }, "A → A"],
    ["back to the first member", { path: ["A", "B", "C"], others: [] }, "A → B → C → A"],
    ["the loop's other members", { path: ["A", "B"], others: ["C", "D"] }, "A → B → A (the loop also runs through C, D)"],
    ["many other members are counted", { path: ["A", "B"], others: ["C", "D", "E", "F", "G", "H", "I"] }, "A → B → A (the loop also runs through C, D, E, F, G and 2 more)"],
    [
      "a long circuit is shortened in the middle",
      { path: Array.from({ length: 30 }, (_, i) => `R${i}`), others: [] },
      "R0 → R1 → R2 → R3 → R4 → R5 → R6 → R7 → R8 → R9 → R10 → R11 → R12 → R13 → R14 → … 11 more … → R26 → R27 → R28 → R29 → R0",
    ],
  ])("%s", (_name, cycle, text) => {
    expect(describeCycle(cycle)).toBe(text);
  });
});
