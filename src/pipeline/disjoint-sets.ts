/**
 * Disjoint sets of names (union-find): how units group inputs that belong together. Each set is
 * represented by its smallest name, so the grouping does not depend on the order of the unions.
 */
export class DisjointSets {
  private readonly parent = new Map<string, string>();

  constructor(names: Iterable<string>) {
    for (const n of names) this.parent.set(n, n);
  }

  has(name: string): boolean {
    return this.parent.has(name);
  }

  find(name: string): string {
    let r = name;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    this.parent.set(name, r);
    return r;
  }

  union(a: string, b: string): void {
    const [x, y] = [this.find(a), this.find(b)];
    if (x !== y) this.parent.set(x < y ? y : x, x < y ? x : y);
  }

  /** The sets, each as the names in it (in the order they were given). */
  groups(): string[][] {
    const out = new Map<string, string[]>();
    for (const n of this.parent.keys()) out.set(this.find(n), [...(out.get(this.find(n)) ?? []), n]);
    return [...out.values()];
  }
}
