/**
 * Circular dependencies of a CloudFormation template: resources that depend on each other
 * through `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn`, and conditions that refer to each
 * other. CloudFormation refuses such a template before it creates anything, so each loop is
 * a template error, reported once at its first member. Outputs depend on resources but
 * nothing depends on an output, so they are never part of a loop; pseudo parameters and
 * parameters are not members either.
 */
import type { Position, PropertyPath } from "../../source/location.js";
import { isRecord } from "../../values/value.js";
import { describeCycle, findCycles } from "../../graph/cycles.js";
import type { ExpandedEntry } from "./language-extensions.js";
import type { Diagnostic } from "../../source/document.js";
import { functionNames } from "./undeclared-references.js";

const SERVERLESS = "AWS::Serverless::";

/** The names a value refers to: `Ref`, `Fn::GetAtt` targets and `Fn::Sub` variables (resources and others alike). */
function referencedNames(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) referencedNames(item, out);
    return;
  }
  if (!isRecord(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1) for (const name of functionNames(keys[0]!, value[keys[0]!])) out.add(name);
  for (const key of keys) referencedNames(value[key], out);
}

/** The conditions a condition's definition refers to (`{Condition: Name}` inside `Fn::And`, `Fn::Or`, `Fn::Not`). */
function referencedConditions(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) referencedConditions(item, out);
    return;
  }
  if (!isRecord(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "Condition" && typeof value["Condition"] === "string") out.add(value["Condition"]);
  for (const key of keys) referencedConditions(value[key], out);
}

/**
 * The logical ids a resource depends on: its `DependsOn` and the references in its
 * `Properties`. The SAM transform spreads the properties of an `AWS::Serverless::*` resource
 * over the resources it generates, and turns event sources around (the bucket notifies the
 * function), so only its `DependsOn` is known to stay its own.
 */
function resourceDependencies(resource: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const dependsOn = resource["DependsOn"];
  for (const d of Array.isArray(dependsOn) ? dependsOn : [dependsOn]) if (typeof d === "string") out.add(d);
  const type = resource["Type"];
  if (typeof type === "string" && type.startsWith(SERVERLESS)) return out;
  referencedNames(resource["Properties"], out);
  return out;
}

interface Member {
  label: string;
  path: PropertyPath;
}

/**
 * One template error per loop among the resources and among the conditions (entries after
 * `Fn::ForEach` expansion; an entry whose logical id cannot be known is not a member).
 */
export function cycleDiagnostics(
  resources: readonly ExpandedEntry[],
  conditions: readonly ExpandedEntry[],
  locate: (p: PropertyPath) => Position | undefined,
): Diagnostic[] {
  const members = new Map<string, Member>();
  const edges = new Map<string, string[]>();
  const add = (kind: string, entries: readonly ExpandedEntry[], dependencies: (value: Record<string, unknown>) => Set<string>) => {
    for (const e of entries) {
      if (e.unknown || !isRecord(e.value) || e.key === "Fn::Transform") continue;
      members.set(`${kind}:${e.key}`, { label: e.key, path: e.path });
      edges.set(`${kind}:${e.key}`, [...dependencies(e.value)].map((name) => `${kind}:${name}`));
    }
  };
  add("resource", resources, (r) => resourceDependencies(r));
  add("condition", conditions, (c) => {
    const out = new Set<string>();
    referencedConditions(c, out);
    return out;
  });
  const diagnostics: Diagnostic[] = [];
  for (const cycle of findCycles([...members.keys()], edges)) {
    const first = members.get(cycle.path[0]!)!;
    const chain = describeCycle(cycle, (id) => members.get(id)!.label);
    const what = cycle.path[0]!.startsWith("condition:") ? "between conditions" : "between resources";
    const where = locate(first.path);
    diagnostics.push({
      message: `cyclic reference ${what}: ${chain}; CloudFormation refuses to deploy a template with a circular dependency`,
      line: where?.line ?? 1,
      column: where?.column ?? 1,
      subject: `cycle ${what}: ${[...cycle.path].sort().join(",")}`,
    });
  }
  return diagnostics;
}
