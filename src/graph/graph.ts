/**
 * The common resource graph (DESIGN.md): every input format is adapted into these nodes,
 * edges and facts, and the rules only ever see this graph.
 */
import type { SourceFormat } from "../findings/finding.js";
import type { Position, PropertyPath, SourceFile } from "../source/location.js";
import type { SuppressionSpec } from "../suppressions/suppression.js";
import type { Resolved, ResolvedMap, Unknown } from "../values/value.js";

export interface GraphNode {
  /** Unique within the graph: `<scope>#<address>` plus the child path for child nodes. */
  id: string;
  /** Canonical kind (`aws.ec2.sg_rule`) or, for resources without one, the native type. */
  kind: string;
  /** Native type of the resource that produced the node (`AWS::EC2::SecurityGroup`). */
  nativeType: string;
  format: SourceFormat;
  /** The deployment unit the node belongs to (a template, a Terraform module instance). */
  scope: string;
  /** Resource address: logical id, Terraform address, CDK construct path. */
  address: string;
  /** For nodes made from a part of a resource (an inline ingress rule, a block device): its native path. */
  childPath?: PropertyPath;
  /** Canonical (or, for native nodes, native) attributes, resolved three-valued. */
  attributes: ResolvedMap;
  /** Where each attribute comes from in the native resource, for locating findings. */
  attributeSources: Record<string, PropertyPath>;
  /** Native path of the resource itself (`["Resources", "Web"]`). */
  resourcePath: PropertyPath;
  source: SourceFile;
  /** Set when the resource exists only under a condition that cannot be decided. */
  presence?: Unknown;
  /** Set for a child node made from one of the possible values of an undecided list or item. */
  alternative?: Alternative;
  /** CDK construct path (`Stack/Web/Resource`): how a CDK user names the resource. */
  constructPath?: string;
  /** Suppressions written on the resource (CloudFormation Metadata). */
  suppressions?: SuppressionSpec[];
  /** The resource's native properties (resource nodes only), for rules that target the native type. */
  native?: { body: ResolvedMap; bodyPath: PropertyPath };
  /** The body (or child item) as the template wrote it, before resolving (CloudFormation). */
  written?: unknown;
  /** The native path (dotted, relative to the body or child item) each canonical attribute is read from first. */
  nativeNames?: Readonly<Record<string, string>>;
  /** Set for a child node that stands for what AWS creates when no block describes it (an instance's root volume: see `ImpliedItem`). */
  implied?: true;
}

/**
 * Which possible value of an undecided list (or list item) a child node comes from: rules
 * decide over all the possible values together (see `src/rules/choices.ts`).
 */
export interface Alternative {
  /** The native path of the undecided value, relative to the resource (`Properties.SecurityGroupIngress`). */
  path: PropertyPath;
  /** Which of its possible values (0-based) the node comes from, and how many there are. */
  option: number;
  options: number;
  /** Why the choice cannot be decided (the condition of the `Fn::If`). */
  reason: string;
  /** False for an item that is itself conditional inside its option: its failure is not sure for that option. */
  sure: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The attribute whose value made the edge (`launch_template`, `security_group`, `owner`). */
  type: string;
}

export class ResourceGraph {
  readonly nodes: GraphNode[] = [];
  private readonly byId = new Map<string, GraphNode>();
  private readonly outgoing = new Map<string, GraphEdge[]>();
  private readonly incoming = new Map<string, GraphEdge[]>();
  /** Facts that hold for a whole scope, such as `ebs_encryption_by_default`. */
  private readonly facts = new Map<string, Map<string, Resolved>>();

  addNode(node: GraphNode): void {
    if (this.byId.has(node.id)) return;
    this.byId.set(node.id, node);
    this.nodes.push(node);
  }

  /** Removes nodes and their edges (before rules run), in one pass over the nodes. */
  removeNodes(ids: ReadonlySet<string>): void {
    let kept = 0;
    for (const node of this.nodes) if (!ids.has(node.id)) this.nodes[kept++] = node;
    this.nodes.length = kept;
    for (const id of ids) {
      if (!this.byId.delete(id)) continue;
      for (const edge of [...(this.outgoing.get(id) ?? []), ...(this.incoming.get(id) ?? [])]) {
        this.outgoing.set(edge.from, (this.outgoing.get(edge.from) ?? []).filter((e) => e !== edge));
        this.incoming.set(edge.to, (this.incoming.get(edge.to) ?? []).filter((e) => e !== edge));
      }
      this.outgoing.delete(id);
      this.incoming.delete(id);
    }
  }

  addEdge(edge: GraphEdge): void {
    const out = this.outgoing.get(edge.from) ?? [];
    if (out.some((e) => e.to === edge.to && e.type === edge.type)) return;
    out.push(edge);
    this.outgoing.set(edge.from, out);
    const inc = this.incoming.get(edge.to) ?? [];
    inc.push(edge);
    this.incoming.set(edge.to, inc);
  }

  setFact(scope: string, name: string, value: Resolved): void {
    let m = this.facts.get(scope);
    if (!m) this.facts.set(scope, (m = new Map()));
    m.set(name, value);
  }

  fact(scope: string, name: string): Resolved | undefined {
    return this.facts.get(scope)?.get(name);
  }

  node(id: string): GraphNode | undefined {
    return this.byId.get(id);
  }

  /** Nodes reached from `node` over edges of the given type. */
  related(node: GraphNode, type: string): GraphNode[] {
    return (this.outgoing.get(node.id) ?? []).filter((e) => e.type === type).map((e) => this.byId.get(e.to)!);
  }

  /** Nodes whose edges of the given type point at `node`. */
  referrers(node: GraphNode, type: string): GraphNode[] {
    return (this.incoming.get(node.id) ?? []).filter((e) => e.type === type).map((e) => this.byId.get(e.from)!);
  }

  edgesFrom(node: GraphNode): readonly GraphEdge[] {
    return this.outgoing.get(node.id) ?? [];
  }
}

/** Position of an attribute of a node: the attribute's source if written, else the resource. */
export function locateAttribute(node: GraphNode, attributePath?: string): Position {
  if (attributePath) {
    const parts = attributePath.split(".");
    for (let n = parts.length; n > 0; n--) {
      const key = parts.slice(0, n).join(".");
      const nativePath = node.attributeSources[key];
      if (nativePath) {
        const pos = node.source.locate(nativePath);
        if (pos) return pos;
      }
    }
  }
  return locateNode(node);
}

/** Position of a native property path (dotted, relative to the body) of a resource node. */
export function locateNative(node: GraphNode, dotted?: string): Position {
  if (node.native && dotted) {
    const parts = dotted.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    for (let n = parts.length; n > 0; n--) {
      const pos = node.source.locate([...node.native.bodyPath, ...parts.slice(0, n)]);
      if (pos) return pos;
    }
  }
  return locateNode(node);
}

/** Position of the node itself: the child part if it is one, else the resource. */
export function locateNode(node: GraphNode): Position {
  const childPos = node.childPath && node.source.locate([...node.resourcePath, ...node.childPath]);
  return childPos ?? node.source.locate(node.resourcePath) ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
}
