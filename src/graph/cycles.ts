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
 * The loops of a graph whose members are `order` (their order decides which member comes
 * first) and whose edges lead from a member to the members it depends on; edges to names
 * outside `order` are ignored. Loops come in the order of their first members.
 */
export function findCycles(order: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Cycle[] {
  const rank = new Map<string, number>();
  order.forEach((id, i) => {
    if (!rank.has(id)) rank.set(id, i);
  });
  const next = (id: string): string[] => (edges.get(id) ?? []).filter((t) => rank.has(t));
  const components = stronglyConnected([...rank.keys()], next);
  const cycles: Cycle[] = [];
  for (const members of components) {
    if (members.length === 1 && !next(members[0]!).includes(members[0]!)) continue;
    const inLoop = new Set(members);
    const first = members.reduce((a, b) => (rank.get(b)! < rank.get(a)! ? b : a));
    const path = shortestCircuit(first, (id) => next(id).filter((t) => inLoop.has(t)));
    const onPath = new Set(path);
    const others = members.filter((m) => !onPath.has(m)).sort((a, b) => rank.get(a)! - rank.get(b)!);
    cycles.push({ path, others });
  }
  return cycles.sort((a, b) => rank.get(a.path[0]!)! - rank.get(b.path[0]!)!);
}

/** Tarjan's strongly connected components, with an explicit stack. */
function stronglyConnected(nodes: readonly string[], next: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { id: string; targets: string[]; i: number }[] = [];
    const enter = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      work.push({ id, targets: next(id), i: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.targets.length) {
        const t = frame.targets[frame.i++]!;
        if (!index.has(t)) enter(t);
        else if (onStack.has(t)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(t)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        out.push(component);
      }
    }
  }
  return out;
}

/** The shortest way from `start` back to itself (breadth first), without repeating `start` at the end. */
function shortestCircuit(start: string, next: (id: string) => string[]): string[] {
  const from = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!;
    for (const t of next(id)) {
      if (t === start) {
        const path = [id];
        for (let at = id; at !== start; ) path.push((at = from.get(at)!));
        return path.reverse();
      }
      if (!from.has(t)) {
        from.set(t, id);
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
