/**
 * Edges of the graph: every reference to another resource of the same scope becomes an
 * edge typed by the attribute that holds it, and names written as literals are matched to
 * the node that carries that name. Kinds that set a scope-wide fact set it here.
 */
import { ABSENT, getPath, refsIn, type Resolved, type ResourceRef } from "../values/value.js";
import type { GraphNode, ResourceGraph } from "./graph.js";
import { nodeId, type KindSpec } from "./mapping.js";

/** All resource references inside a value that name a declared resource. */
export function referencesIn(v: Resolved): ResourceRef[] {
  return refsIn(v).filter((r) => !r.undeclared);
}

/** Adds the edges of the nodes of one scope (all of its nodes must already be in the graph); `kinds` is the format's table by native type. */
export function linkScope(graph: ResourceGraph, nodes: readonly GraphNode[], kinds: Record<string, KindSpec>): void {
  const byName = new Map<string, GraphNode[]>();
  const named = (kind: string, attr: string, name: string): GraphNode[] => {
    const key = `${kind}\u0000${attr}`;
    if (!byName.has(`${key}\u0000`)) {
      byName.set(`${key}\u0000`, []);
      for (const n of nodes) {
        const v = n.kind === kind && !n.childPath ? getPath(n.attributes, attr) : undefined;
        if (typeof v === "string") byName.set(`${key}\u0000${v}`, [...(byName.get(`${key}\u0000${v}`) ?? []), n]);
      }
    }
    return byName.get(`${key}\u0000${name}`) ?? [];
  };
  for (const node of nodes) {
    for (const [attr, value] of Object.entries(node.attributes)) {
      for (const ref of referencesIn(value)) {
        const to = graph.node(nodeId(ref.scope ?? node.scope, ref.target));
        if (to && to !== node) graph.addEdge({ from: node.id, to: to.id, type: attr });
      }
    }
    const spec = node.childPath || !Object.hasOwn(kinds, node.nativeType) ? undefined : kinds[node.nativeType];
    if (spec?.fact) graph.setFact(node.scope, spec.fact.name, getPath(node.attributes, spec.fact.attr));
    for (const link of spec?.links ?? []) {
      const name = getPath(node.attributes, link.attr);
      if (typeof name !== "string") continue;
      const edgeType = link.attr.split(".")[0]!;
      for (const target of named(link.kind, link.by, name)) graph.addEdge({ from: node.id, to: target.id, type: edgeType });
    }
  }
  settleImpliedRoots(graph, nodes);
}

/** The edge from an instance to the launch template it is launched from. */
const LAUNCH_TEMPLATE = "launch_template";
const INSTANCE_KIND = "aws.ec2.instance";

/**
 * An instance launched from a launch template takes its root volume from the template unless
 * it describes one itself; the template's root volume is used by what launches from it.
 * Implied root volumes (see `ImpliedItem`) that another node describes are removed:
 *
 * - an instance's, when it names a launch template that describes its root volume, or one
 *   outside the deployment (which may);
 * - a launch template's, when every node launched from it is an instance, each of which then
 *   has its own root volume (described, or implied as the template's would be).
 */
function settleImpliedRoots(graph: ResourceGraph, nodes: readonly GraphNode[]): void {
  const impliedOf = new Map<string, GraphNode>();
  for (const n of nodes) {
    if (!n.implied) continue;
    const owner = graph.related(n, "owner")[0];
    if (owner) impliedOf.set(owner.id, n);
  }
  const drop = new Set<string>();
  for (const [ownerId, implied] of impliedOf) {
    const owner = graph.node(ownerId)!;
    if (owner.kind === INSTANCE_KIND && getPath(owner.attributes, LAUNCH_TEMPLATE) !== ABSENT) {
      const templates = graph.related(owner, LAUNCH_TEMPLATE);
      if (templates.length === 0 || templates.some((t) => !impliedOf.has(t.id))) drop.add(implied.id);
      continue;
    }
    const users = graph.referrers(owner, LAUNCH_TEMPLATE);
    if (users.length > 0 && users.every((u) => u.kind === INSTANCE_KIND)) drop.add(implied.id);
  }
  if (drop.size > 0) graph.removeNodes(drop);
}
