import { ABSENT, Unknown, type Resolved } from "../../src/values/value.js";

/** Comparable form of a resolved value: Unknown → { unknown, possible?, ref? }, ABSENT → "(absent)". */
export function view(v: Resolved): unknown {
  if (v === ABSENT) return "(absent)";
  if (v instanceof Unknown) {
    const out: Record<string, unknown> = { unknown: v.reason };
    if (v.possible) out["possible"] = v.possible.map(view);
    if (v.ref) out["ref"] = { ...v.ref };
    return out;
  }
  if (Array.isArray(v)) return v.map(view);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, view(x)]));
  return v;
}
