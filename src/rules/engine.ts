/**
 * Runs rules over the resource graph and turns outcomes into findings.
 */
import type { Finding } from "../findings/finding.js";
import { fingerprint } from "../findings/fingerprint.js";
import { locateAttribute, locateNative, locateNode, type Alternative, type GraphNode, type ResourceGraph } from "../graph/graph.js";
import { settleChoices, type Chosen } from "./choices.js";
import { writtenPart } from "../graph/mapping.js";
import { formatPath } from "../source/location.js";
import { evaluate, type EvalContext, type Evaluation } from "./evaluate.js";
import type { Rule } from "../model/rule.js";
import { LimitExceeded } from "../limits/limits.js";

/** How findings name a resource: its CDK construct path, else its address. */
export function displayAddress(node: GraphNode): string {
  return node.constructPath ?? node.address;
}

function fill(template: string, node: GraphNode): string {
  return template.replace(/\{(address|type|kind)\}/g, (_m, key: string) =>
    key === "address" ? displayAddress(node) : key === "type" ? node.nativeType : node.kind,
  );
}

/** Outcome of a rule on one node: `where` decides whether it applies, `assert` whether it holds. */
export function checkNode(rule: Rule, node: GraphNode, ctx: EvalContext): Evaluation | undefined {
  const subject = targetsNative(rule, node) ? node.native!.body : node.attributes;
  let applies: Evaluation = { outcome: "pass" };
  if (rule.where) {
    applies = evaluate(rule.where, node, ctx, subject);
    if (applies.outcome === "fail") return undefined;
  }
  let result = evaluate(rule.assert, node, ctx, subject);
  if (applies.outcome === "undecided" && result.outcome === "fail") result = { ...result, outcome: "undecided", reason: applies.reason! };
  if (node.presence && result.outcome === "fail") result = { ...result, outcome: "undecided", reason: node.presence.reason };
  return result;
}

/** A rule that names the native type of a node with a canonical kind reads its native properties. */
function targetsNative(rule: Rule, node: GraphNode): boolean {
  return node.native !== undefined && node.kind !== node.nativeType && !rule.applies_to.includes(node.kind);
}

function makeContext(graph: ResourceGraph): EvalContext {
  const cache = new Map<string, RegExp>();
  return {
    graph,
    regex(source) {
      let re = cache.get(source);
      if (!re) cache.set(source, (re = new RegExp(source, "u")));
      return re;
    },
  };
}

function findingFor(rule: Rule, node: GraphNode, result: Evaluation, identity?: string): Finding {
  const native = node.native && (targetsNative(rule, node) || node.kind === node.nativeType) ? node.native : undefined;
  const position = native ? locateNative(node, result.blame) : locateAttribute(node, result.blame);
  const sourcePath = !result.blame
    ? undefined
    : native
      ? formatPath([...native.bodyPath.slice(node.resourcePath.length), ...result.blame.split(".")])
      : blamedPath(node, result.blame);
  const partPath = node.childPath ? formatPath(node.childPath) : undefined;
  const propertyPath = sourcePath ?? (node.childPath ? formatPath(writtenPart(node.childPath)) : undefined);
  const address = displayAddress(node);
  const fail = result.outcome === "fail";
  const reason = fail ? undefined : (result.reason ?? "a value it depends on is unknown");
  // One object literal with the optional keys set after: findings are made by the thousand.
  const finding: Finding = {
    ruleId: rule.id,
    severity: rule.severity,
    kind: fail ? "fail" : "review",
    message: fail ? fill(rule.message, node) : `${rule.title}: cannot be decided for ${address}: ${reason}`,
    file: node.source.path,
    position,
    resourceLine: (node.source.locate(node.resourcePath) ?? locateNode(node)).line,
    address,
    resourceType: node.nativeType,
    format: node.format,
    fingerprint: fingerprint(rule.id, node.source.path, address, identity ?? partPath ?? ""),
  };
  if (node.constructPath) finding.logicalId = node.address;
  if (propertyPath) finding.propertyPath = propertyPath;
  if (reason !== undefined) finding.reason = reason;
  return finding;
}

function blamedPath(node: GraphNode, attribute: string): string | undefined {
  const parts = attribute.split(".");
  for (let n = parts.length; n > 0; n--) {
    const src = node.attributeSources[parts.slice(0, n).join(".")];
    if (src) return formatPath(src.slice(node.resourcePath.length));
  }
  return undefined;
}

/** The kind of the one node that stands for a whole deployment (a template, a Terraform root, an assembly). */
export const DEPLOYMENT = "deployment";

/** A node for deployment-wide rules: located at the start of the deployment's first file. */
function deploymentNode(graph: ResourceGraph): GraphNode | undefined {
  const first = graph.nodes[0];
  if (!first) return undefined;
  return {
    id: `${first.scope}#${DEPLOYMENT}`,
    kind: DEPLOYMENT,
    nativeType: DEPLOYMENT,
    format: first.format,
    scope: first.scope,
    address: "",
    attributes: {},
    attributeSources: {},
    resourcePath: [],
    source: { ...first.source, locate: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }) },
  };
}

/** Runs every rule on every node it applies to. A rule that throws becomes a review finding. */
export function runRules(graph: ResourceGraph, rules: readonly Rule[]): Finding[] {
  const ctx = makeContext(graph);
  const findings: Finding[] = [];
  const byKind = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    // Child nodes (an inline rule, a block device) have a kind but no native type of their own.
    for (const key of new Set(node.childPath ? [node.kind] : [node.kind, node.nativeType])) {
      const list = byKind.get(key) ?? [];
      list.push(node);
      byKind.set(key, list);
    }
  }
  const deployment = deploymentNode(graph);
  if (deployment) byKind.set(DEPLOYMENT, [deployment]);
  for (const rule of rules) {
    const seen = new Set<GraphNode>();
    const chosen: Chosen[] = [];
    for (const kind of rule.applies_to) {
      for (const node of byKind.get(kind) ?? []) {
        if (seen.has(node)) continue;
        seen.add(node);
        let result: Evaluation | undefined;
        try {
          ctx.subject = node;
          result = checkNode(rule, node, ctx);
        } catch (e) {
          if (e instanceof LimitExceeded) throw e;
          result = { outcome: "undecided", reason: `the rule could not be evaluated (${(e as Error).message})` };
        }
        if (result && node.alternative) chosen.push({ node: node as typeof node & { alternative: Alternative }, result });
        else if (result && result.outcome !== "pass") findings.push(findingFor(rule, node, result));
      }
    }
    for (const r of settleChoices(chosen)) findings.push(findingFor(rule, r.node, r.result, r.identity));
  }
  return findings;
}
