/**
 * Cycles of a dependency graph: the loops that make CloudFormation and Terraform refuse a
 * template (resources, conditions, locals, module outputs that depend on each other).
 *
 * A loop is a strongly connected component of the graph (Tarjan's algorithm, without
 * recursion, so a chain of thousands of members does not exhaust the stack), or a member
 * that depends on itself. Each loop is reported once, however many members and circuits it
 * has: as the shortest circuit from its first member back to it, with the members of the
 * loop that circuit does not pass through.
 */

export interface Cycle {
  /** The circuit, from the loop's first member back to (but without repeating) it. */
  path: string[];
  /** Members of the same loop that the circuit does not pass through, in the graph's order. */
  others: string[];
}

/**
 * The loops of a graph whose members are `order` and whose edges lead from a member to the
 * members it depends on; edges to names outside `order` are ignored. A loop's first member
 * is the first in `order`, or the one `firstOf` picks among the loop's members (when finding
 * it costs more than only loops should pay). Loops come in the order of their members in `order`.
 */
export function findCycles(order: readonly string[], edges: ReadonlyMap<string, readonly string[]>, firstOf?: (members: readonly string[]) => string): Cycle[] {
  // Members are numbered in order; the graph is read once into lists of numbers.
  const ids: string[] = [];
  const number = new Map<string, number>();
  for (const id of order) {
    if (number.has(id)) continue;
    number.set(id, ids.length);
    ids.push(id);
  }
  const next: number[][] = ids.map((id) => {
    const out: number[] = [];
    for (const t of edges.get(id) ?? []) {
      const n = number.get(t);
      if (n !== undefined) out.push(n);
    }
    return out;
  });
  const cycles: Cycle[] = [];
  for (const component of stronglyConnected(next)) {
    if (component.length === 1 && !next[component[0]!]!.includes(component[0]!)) continue;
    const sorted = component.sort((a, b) => a - b);
    const inLoop = new Set(sorted);
    const first = firstOf ? number.get(firstOf(sorted.map((n) => ids[n]!)))! : sorted[0]!;
    const path = shortestCircuit(first, (n) => next[n]!.filter((t) => inLoop.has(t)));
    const onPath = new Set(path);
    cycles.push({ path: path.map((n) => ids[n]!), others: sorted.filter((n) => !onPath.has(n)).map((n) => ids[n]!) });
  }
  return cycles.sort((a, b) => number.get(a.path[0]!)! - number.get(b.path[0]!)!);
}

/** Tarjan's strongly connected components of members 0..n-1, with an explicit stack. */
function stronglyConnected(next: readonly (readonly number[])[]): number[][] {
  const count = next.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  // The depth-first walk: the member and how many of its edges it has followed.
  const walk: number[] = [];
  const followed: number[] = [];
  const enter = (n: number) => {
    index[n] = low[n] = counter++;
    stack.push(n);
    onStack[n] = 1;
    walk.push(n);
    followed.push(0);
  };
  for (let start = 0; start < count; start++) {
    if (index[start] !== -1) continue;
    enter(start);
    while (walk.length > 0) {
      const top = walk.length - 1;
      const n = walk[top]!;
      const targets = next[n]!;
      if (followed[top]! < targets.length) {
        const t = targets[followed[top]!++]!;
        if (index[t] === -1) enter(t);
        else if (onStack[t]) low[n] = Math.min(low[n]!, index[t]!);
        continue;
      }
      walk.pop();
      followed.pop();
      if (walk.length > 0) {
        const parent = walk[walk.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[n]!);
      }
      if (low[n] === index[n]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== n);
        out.push(component);
      }
    }
  }
  return out;
}

/** The shortest way from `start` back to itself (breadth first), without repeating `start` at the end. */
function shortestCircuit(start: number, next: (n: number) => number[]): number[] {
  const from = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q]!;
    for (const t of next(n)) {
      if (t === start) {
        const path = [n];
        for (let at = n; at !== start; ) path.push((at = from.get(at)!));
        return path.reverse();
      }
      if (!from.has(t)) {
        from.set(t, n);
        queue.push(t);
      }
    }
  }
  return [start]; // not reached: every member of a loop leads back to its first member
}

/** How many members a cycle's message names before it shortens the circuit. */
const NAMED = 20;

/**
 * `A → B → A`, naming the members the way the user wrote them; a long
 * circuit is shortened in the middle, and the loop's other members are counted.
 */
export function describeCycle(cycle: Cycle, name: (id: string) => string = (id) => id): string {
  const names = cycle.path.map(name);
  const head = NAMED - 5;
  const tail = 4;
  const shown = names.length <= NAMED ? names : [...names.slice(0, head), `… ${names.length - head - tail} more …`, ...names.slice(-tail)];
  const others = cycle.others.length === 0 ? "" : ` (the loop also runs through ${cycle.others.length <= 5 ? cycle.others.map(name).join(", ") : `${cycle.others.slice(0, 5).map(name).join(", ")} and ${cycle.others.length - 5} more`})`;
  return `${[...shown, names[0]!].join(" → ")}${others}`;
}
