/**
 * Dependency cycles of a Terraform configuration: locals, resources, data sources, module
 * outputs and module inputs whose expressions refer to each other in a loop. Terraform
 * refuses to plan such a configuration ("Error: Cycle"), so each loop is a configuration
 * error, reported once at the definition of its first member.
 *
 * The graph is read from the configuration as written, as Terraform builds it: one member
 * per block (not per instance), modules flattened into their variables and outputs, so that
 * `module.a.out` feeding module b whose output feeds module a is a loop only when the
 * values really flow round. What Terraform does not count as a dependency is left out:
 * `self`, `count.index`, `each`, `path` and `terraform` references, and a resource's
 * `lifecycle` block (`ignore_changes`, `replace_triggered_by`). A module call's `count`,
 * `for_each` and `depends_on` are dependencies of every resource and data source inside it.
 */
import type { Position, PropertyPath } from "../../source/location.js";
import { isRecord } from "../../values/value.js";
import { describeCycle, findCycles } from "../../graph/cycles.js";
import type { ExpressionCache, SyntaxNode } from "./expressions.js";
import type { TerraformFile } from "./files.js";
import { MODULE_META, type ModuleInstance } from "./module.js";

/** One traversal of an expression (`aws_s3_bucket.logs.arn` → ["aws_s3_bucket", "logs", "arn"]); index keys as written (`0`, `"k"`). */
type Traversal = string[];

interface Member {
  file: TerraformFile;
  path: PropertyPath;
  /** Where the member is defined: looked up only for the members of a loop. */
  at?: Position | null;
}

function position(m: Member): Position | undefined {
  if (m.at === undefined) m.at = m.file.source.locate(m.path) ?? null;
  return m.at ?? undefined;
}

/** A module call's arguments that are dependencies of everything inside the module. */
const EXPANSION = ["count", "for_each", "depends_on"];

/** The traversals of one syntax tree; names a `for` expression binds are not references. */
function treeTraversals(node: SyntaxNode, bound: ReadonlySet<string>, out: Traversal[]): void {
  if (node.type === "scopeTraversal") {
    const parts = ((node.meta?.traversal ?? []) as { segment: string }[]).map((t) => String(t.segment));
    if (parts.length > 0 && !bound.has(parts[0]!)) out.push(parts);
    return;
  }
  const children = node.children ?? [];
  if (node.type === "for") {
    const inner = new Set(bound);
    for (const name of [node.meta?.keyVar, node.meta?.valVar]) if (typeof name === "string" && name !== "") inner.add(name);
    children.forEach((child, i) => treeTraversals(child, i === 0 ? bound : inner, out));
    return;
  }
  for (const child of children) treeTraversals(child, bound, out);
}

class Traversals {
  private readonly byExpression = new Map<string, Traversal[]>();
  constructor(private readonly cache: ExpressionCache) {}

  /** Every traversal in a hcl2json value (strings with expressions, object keys with expressions). */
  of(value: unknown, out: Traversal[] = []): Traversal[] {
    if (typeof value === "string") out.push(...this.expression(value));
    else if (Array.isArray(value)) for (const item of value) this.of(item, out);
    else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        out.push(...this.expression(key));
        this.of(item, out);
      }
    }
    return out;
  }

  /** The traversals of a block's argument `key`; `depends_on` may name its references bare. */
  argument(key: string, value: unknown): Traversal[] {
    return key === "depends_on" ? this.dependsOn(value) : this.of(value);
  }

  /** `depends_on`: references, written bare in Terraform's JSON syntax (`"aws_s3_bucket.logs"`). */
  private dependsOn(value: unknown): Traversal[] {
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => (typeof item === "string" && !item.includes("${") ? [item.split(".")] : this.of(item)));
  }

  private expression(source: string): Traversal[] {
    if (!source.includes("${") && !source.includes("%{")) return [];
    let found = this.byExpression.get(source);
    if (!found) {
      found = [];
      const tree = this.cache.get(source);
      // An expression that could not be parsed is reported where it is evaluated.
      if (tree !== undefined && !(tree instanceof Error)) treeTraversals(tree as unknown as SyntaxNode, new Set(), found);
      this.byExpression.set(source, found);
    }
    return found;
  }
}

/** The members and dependencies of a root module and of every module it calls. */
class DependencyGraph {
  readonly members = new Map<string, Member>();
  readonly edges = new Map<string, string[]>();
  private readonly traversals: Traversals;

  constructor(cache: ExpressionCache) {
    this.traversals = new Traversals(cache);
  }

  private member(id: string, file: TerraformFile, path: PropertyPath, dependencies: string[]): void {
    if (this.members.has(id)) return;
    this.members.set(id, { file, path });
    this.edges.set(id, dependencies);
  }

  /**
   * Adds a module instance: its locals, resources, data sources and outputs, then the
   * variables of the modules it calls (set by its expressions) and those modules.
   * `expansion` holds what the calls leading here depend on for their instances.
   */
  add(instance: ModuleInstance, expansion: readonly string[] = []): void {
    const { def, prefix } = instance;
    const children = instance.calledModules();
    const resources = new Set(def.resources.map((r) => `${r.type}.${r.name}`));
    const resolve = (traversals: Traversal[]) => traversals.flatMap((t) => this.target(t, prefix, resources, def.data, def.locals, children));
    for (const file of def.files) {
      const blocks = file.json?.["locals"];
      (Array.isArray(blocks) ? blocks : []).forEach((block, i) => {
        if (!isRecord(block)) return;
        for (const [name, value] of Object.entries(block)) this.member(`${prefix}local.${name}`, file, ["locals", i, name], resolve(this.traversals.of(value)));
      });
    }
    const blockDependencies = (body: Record<string, unknown>) => {
      const out = [...expansion];
      for (const [key, value] of Object.entries(body)) {
        if (key === "lifecycle") continue;
        out.push(...resolve(this.traversals.argument(key, value)));
      }
      return out;
    };
    for (const { type, name, block } of def.resources) this.member(`${prefix}${type}.${name}`, block.file, block.path, blockDependencies(block.body));
    for (const [key, block] of def.data) this.member(`${prefix}data.${key}`, block.file, block.path, blockDependencies(block.body));
    for (const [name, block] of def.outputs) {
      const body = block.body;
      const deps = Object.entries(body).flatMap(([key, value]) => resolve(this.traversals.argument(key, value)));
      this.member(`${prefix}output.${name}`, block.file, block.path, deps);
    }
    for (const [name, child] of children) {
      const call = def.modules.get(name);
      if (!call) continue;
      for (const [arg, value] of Object.entries(call.body)) {
        const variable = child.def.variables.get(arg);
        if (MODULE_META.has(arg) || !variable) continue;
        this.member(`${child.prefix}var.${arg}`, variable.file, variable.path, resolve(this.traversals.of(value)));
      }
      const own = EXPANSION.flatMap((key) => this.traversals.argument(key, call.body[key]));
      this.add(child, [...expansion, ...resolve(own)]);
    }
  }

  /** The members a traversal in a module (by its prefix) refers to; none for `self`, `count`, `each`, `path`, `terraform`. */
  private target(
    parts: Traversal,
    prefix: string,
    resources: ReadonlySet<string>,
    data: ReadonlyMap<string, unknown>,
    locals: ReadonlyMap<string, unknown>,
    children: ReadonlyMap<string, ModuleInstance>,
  ): string[] {
    const [root, a, b, c] = parts;
    if (a === undefined) return [];
    switch (root) {
      case "local":
        return locals.has(a) ? [`${prefix}local.${a}`] : [];
      case "var":
        return [`${prefix}var.${a}`];
      case "data":
        return b !== undefined && data.has(`${a}.${b}`) ? [`${prefix}data.${a}.${b}`] : [];
      case "module": {
        const child = children.get(a);
        if (!child) return [];
        const outputs = child.def.outputs;
        // `module.a.out`, `module.a[0].out`, `module.a["k"].out`; the whole `module.a` depends on all of its outputs.
        const output = b !== undefined && outputs.has(b) ? b : c !== undefined && outputs.has(c) ? c : undefined;
        const names = output !== undefined ? [output] : [...outputs.keys()];
        return names.map((n) => `${child.prefix}output.${n}`);
      }
      case "self":
      case "count":
      case "each":
      case "path":
      case "terraform":
        return [];
      default:
        return resources.has(`${root}.${a}`) ? [`${prefix}${root}.${a}`] : [];
    }
  }
}

/** `module.a.module.b.` shared by every name, so that a loop inside a module reads as the module writes it. */
function commonModulePrefix(ids: readonly string[]): string {
  const prefixOf = (id: string) => /^(?:module\.[^.]+\.)*/.exec(id)![0];
  let common = prefixOf(ids[0]!);
  for (const id of ids) {
    const own = prefixOf(id);
    while (!own.startsWith(common)) common = common.replace(/module\.[^.]+\.$/, "");
  }
  return common;
}

function before(a: Member, b: Member): number {
  const fa = a.file.source.path;
  const fb = b.file.source.path;
  if (fa !== fb) return fa < fb ? -1 : 1;
  const pa = position(a);
  const pb = position(b);
  return (pa?.line ?? 0) - (pb?.line ?? 0) || (pa?.column ?? 0) - (pb?.column ?? 0);
}

/**
 * Checks a root module (after its module calls are read) for dependency cycles: each loop
 * becomes a diagnostic of the file that defines its first member. A module evaluated for
 * several calls or roots reports a loop inside it once.
 */
export function reportCycles(root: ModuleInstance, cache: ExpressionCache): void {
  const graph = new DependencyGraph(cache);
  graph.add(root);
  // The first member of a loop is the first by file and position.
  const firstOf = (ids: readonly string[]) => ids.reduce((x, y) => (before(graph.members.get(y)!, graph.members.get(x)!) < 0 ? y : x));
  for (const cycle of findCycles([...graph.members.keys()], graph.edges, firstOf)) {
    const strip = commonModulePrefix([...cycle.path, ...cycle.others]);
    const chain = describeCycle(cycle, (id) => id.slice(strip.length));
    const first = graph.members.get(cycle.path[0]!)!;
    const message = `cyclic reference: ${chain}; Terraform refuses to plan a configuration whose values depend on each other in a loop (Error: Cycle)`;
    const at = position(first);
    const line = at?.line ?? 1;
    const column = at?.column ?? 1;
    const diagnostics = first.file.diagnostics;
    if (!diagnostics.some((d) => d.message === message && d.line === line && d.column === column)) diagnostics.push({ message, line, column });
  }
}
