/**
 * Findings that describe one problem: findings of rules that declare the same
 * `problem_group`, of the same kind and suppression state, on the same resource of the same
 * file (and Terraform root module) at the same property (or, without one, the same position). One security-group rule
 * open to everything trips the SSH, RDP and every-port rules at once; a reviewer should see
 * one entry. The entry leads with its most severe finding and names the others.
 */
import { severityRank, type Finding } from "../findings/finding.js";
import type { Rule } from "../model/rule.js";
import { isSuppressed } from "./summary.js";

export interface ProblemEntry {
  /** The finding the entry shows: the most severe, then the first in report order. */
  lead: Finding;
  /** The other findings of the same problem, in report order. */
  others: Finding[];
}

function problemKey(f: Finding, group: string): string {
  const where = f.propertyPath ?? `${f.position.line}:${f.position.column}`;
  return JSON.stringify([group, f.kind, isSuppressed(f), f.file, f.address, f.root ?? null, where]);
}

/**
 * The findings as entries, in the order of each entry's first finding; a finding whose rule
 * declares no group is an entry of its own. Linear in the number of findings.
 */
export function groupSameProblem(findings: readonly Finding[], rules: readonly Rule[]): ProblemEntry[] {
  const groupOf = new Map<string, string>();
  for (const rule of rules) if (rule.problem_group) groupOf.set(rule.id, rule.problem_group);
  const entries: Finding[][] = [];
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    const group = groupOf.get(f.ruleId);
    const key = group === undefined ? undefined : problemKey(f, group);
    const members = key === undefined ? undefined : byKey.get(key);
    if (members) {
      members.push(f);
      continue;
    }
    const entry = [f];
    entries.push(entry);
    if (key !== undefined) byKey.set(key, entry);
  }
  return entries.map(toEntry);
}

function toEntry(members: Finding[]): ProblemEntry {
  let lead = members[0]!;
  for (const f of members) if (severityRank(f.severity) > severityRank(lead.severity)) lead = f;
  return { lead, others: members.filter((f) => f !== lead) };
}

/** Each finding's entry, for formats that keep every finding and link the members. */
export function entriesByFinding(entries: readonly ProblemEntry[]): Map<Finding, ProblemEntry> {
  const map = new Map<Finding, ProblemEntry>();
  for (const entry of entries) {
    if (entry.others.length === 0) continue;
    map.set(entry.lead, entry);
    for (const f of entry.others) map.set(f, entry);
  }
  return map;
}

/** ` (also: rule-a, rule-b)` after the lead's message, or "" for an entry of one finding. */
export function alsoReported(entry: ProblemEntry): string {
  return entry.others.length === 0 ? "" : ` (also: ${entry.others.map((f) => f.ruleId).join(", ")})`;
}
