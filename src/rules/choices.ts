/**
 * Decides a rule over the child nodes made from the possible values of an undecided list
 * (the branches of an `Fn::If` around `SecurityGroupIngress`, or around one of its items).
 *
 * Each such node is checked as if its possible value were the one deployed. The rule then
 * fails only when every possible value of a choice holds an entry that fails; when only some
 * do, or an entry is undecided, the resource gets one review per rule (not one per entry),
 * whose reason is what keeps the choice open.
 */
import type { Alternative, GraphNode } from "../graph/graph.js";
import { formatPath } from "../source/location.js";
import type { Evaluation } from "./evaluate.js";

export interface NodeResult {
  node: GraphNode;
  result: Evaluation;
  /** The path that identifies the finding when it stands for a whole choice (its fingerprint). */
  identity?: string;
}

/** The result of a node made from a possible value. */
export type Chosen = NodeResult & { node: GraphNode & { alternative: Alternative } };

/** The outcomes to report for the nodes of possible values of one rule: sure failures, and one review per resource. */
export function settleChoices(results: readonly Chosen[]): NodeResult[] {
  const byResource = new Map<string, Chosen[]>();
  for (const r of results) {
    const key = `${r.node.scope}\u0000${r.node.address}`;
    const list = byResource.get(key) ?? [];
    list.push(r);
    byResource.set(key, list);
  }
  return [...byResource.values()].flatMap(settleResource);
}

function settleResource(results: Chosen[]): NodeResult[] {
  const out: NodeResult[] = [];
  const open: Chosen[] = [];
  for (const group of groupsOf(results).values()) {
    const failing = failsInEveryOption(group);
    if (failing) out.push(failing);
    else open.push(...group.filter((r) => r.result.outcome !== "pass"));
  }
  const review = oneReview(open);
  if (review) out.push(review);
  return out;
}

/** The results of one resource by the undecided value they come from. */
function groupsOf(results: Chosen[]): Map<string, Chosen[]> {
  const groups = new Map<string, Chosen[]>();
  for (const r of results) {
    const key = JSON.stringify(r.node.alternative.path);
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return groups;
}

/** The first failure of a choice each of whose possible values has an entry that surely fails. */
function failsInEveryOption(group: Chosen[]): Chosen | undefined {
  const sure = group.filter((r) => r.result.outcome === "fail" && r.node.alternative.sure);
  const options = new Set(sure.map((r) => r.node.alternative.option));
  return sure.length > 0 && options.size === sure[0]!.node.alternative.options ? sure[0] : undefined;
}

/** The distinct reasons of undecided results, in order (each branch may be blocked by another unknown). */
function reasonsOf(open: Chosen[]): string | undefined {
  const reasons = [...new Set(open.flatMap((r) => (r.result.reason ? [r.result.reason] : [])))];
  return reasons.length > 0 ? reasons.join("; ") : undefined;
}

/**
 * One review for what is left open: located at the first failing entry (the rule fails if
 * its branch is the one deployed, so the reason is the choice), else at the first undecided one.
 */
function oneReview(open: Chosen[]): NodeResult | undefined {
  const failed = open.find((r) => r.result.outcome === "fail");
  const lead = failed ?? open[0];
  if (!lead) return undefined;
  const reason = failed ? failed.node.alternative.reason : reasonsOf(open);
  return {
    node: lead.node,
    result: { ...lead.result, outcome: "undecided", ...(reason ? { reason } : {}) },
    identity: formatPath(lead.node.alternative.path),
  };
}
