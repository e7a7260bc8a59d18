// Shared helpers of the adapter table tests: snippet → nodes, a comparable summary of a
// node, and the edges a graph of nodes gets.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { ResourceGraph, type GraphNode } from "../../src/graph/graph.js";
import { linkScope } from "../../src/graph/link.js";
import type { KindSpec } from "../../src/graph/mapping.js";
import { loadTemplate } from "../../src/parsers/cloudformation/template.js";
import { scanTerraform } from "../../src/parsers/terraform/project.js";
import { view } from "./view.js";

/** The nodes of a CloudFormation template body (`Resources:` and what follows), read as `file`. */
export function cfnNodes(file: string, body: string): GraphNode[] {
  const result = loadTemplate(file, `/repo/${file}`, `AWSTemplateFormatVersion: "2010-09-09"\n${body}`, { parameters: {} });
  expect(result.diagnostics).toEqual([]);
  return result.nodes;
}

/** The nodes of a Terraform root module made of one `main.tf`. */
export async function tfNodes(hcl: string): Promise<GraphNode[]> {
  const dir = mkdtempSync(join(tmpdir(), "parapet-kinds-"));
  writeFileSync(join(dir, "main.tf"), hcl);
  const scan = await scanTerraform([dir], dir, { sources: [], env: {} });
  return scan.roots[0]!.nodes;
}

export function summary(n: GraphNode) {
  return { kind: n.kind, address: n.address, ...(n.childPath ? { childPath: [...n.childPath] } : {}), attributes: view(n.attributes) };
}

/** Edges as `from -type-> to`, by address (and child path). */
export function edgesOf(nodes: GraphNode[], kinds: Record<string, KindSpec>): string[] {
  const graph = new ResourceGraph();
  for (const n of nodes) graph.addNode(n);
  linkScope(graph, nodes, kinds);
  const name = (n: GraphNode) => (n.childPath ? `${n.address}#${n.childPath.join("/")}` : n.address);
  return graph.nodes.flatMap((n) => graph.edgesFrom(n).map((e) => `${name(n)} -${e.type}-> ${name(graph.node(e.to)!)}`)).sort();
}

/** What a reference to another resource looks like in a node summary. */
export const ref = (target: string, attribute?: string) => ({
  unknown: expect.stringContaining(target),
  ref: attribute ? { target, attribute } : { target },
});
