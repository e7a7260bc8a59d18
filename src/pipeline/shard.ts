/**
 * `--shard i/n`: one of n disjoint parts of a run's units of work, so that a CI matrix can
 * split a very large repository. A unit (a file, an assembly, a group of Terraform folders
 * that call each other) is never split. The parts are balanced by size: units are taken from
 * the largest down (ties by id) and each goes to the part with the fewest bytes so far (ties
 * to the lowest number), which depends only on the units, so every shard of a run computes
 * the same split.
 */
import { UsageError } from "../errors.js";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard: expected i/n with 1 ≤ i ≤ n (like 2/4), got "${text}"`);
  return { index, count };
}

/** The shard (0-based part number) of every unit id. */
export function assignShards(units: readonly { id: string; size: number }[], count: number): Map<string, number> {
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  const order = [...units].sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const unit of order) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[best]!) best = i;
    out.set(unit.id, best);
    load[best]! += Math.max(unit.size, 1);
  }
  return out;
}

export function shardUnits<T extends { id: string; size: number }>(units: T[], shard: Shard): T[] {
  const parts = assignShards(units, shard.count);
  return units.filter((u) => parts.get(u.id) === shard.index - 1);
}
