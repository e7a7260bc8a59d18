/**
 * How a finding names a canonical attribute in the user's own words: the property path of the
 * format (`LaunchTemplateData.IamInstanceProfile`, `iam_instance_profile`) where the attribute
 * is read from, and for a CloudFormation value taken from a parameter, the parameter and its value.
 */
import { formatPath } from "../source/location.js";
import type { GraphNode } from "./graph.js";
import { writtenAt } from "./mapping.js";

type Part = string | number;

/** The longest path every given path starts with. */
function commonPrefix(paths: readonly (readonly Part[])[]): Part[] {
  const [first, ...rest] = paths;
  if (!first) return [];
  let n = first.length;
  for (const p of rest) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}

/** The paths an attribute is read from: its own, else the parents of its sub-attributes' (a block read field by field). */
function pathsOf(attr: string, entries: readonly [string, readonly Part[]][]): Part[] | undefined {
  const own = entries.find(([name]) => name === attr);
  if (own) return [...own[1]];
  const under = entries.filter(([name]) => name.startsWith(`${attr}.`)).map(([, path]) => path.slice(0, -1));
  return under.length > 0 ? commonPrefix(under) : undefined;
}

/** Where the node's attribute paths start: its body (`Properties`), or the item of a child part. */
function baseLength(node: GraphNode): number {
  if (node.childPath) return node.resourcePath.length + node.childPath.length;
  return node.native?.bodyPath.length ?? node.resourcePath.length;
}

/** The native path of an attribute relative to the resource body (or child item), written or not. */
export function nativePathOf(node: GraphNode, attr: string): Part[] | undefined {
  const base = baseLength(node);
  const written = pathsOf(
    attr,
    Object.entries(node.attributeSources).map(([name, path]): [string, Part[]] => [name, path.slice(base)]),
  );
  if (written) return written;
  const names = node.nativeNames;
  if (!names) return undefined;
  return pathsOf(
    attr,
    Object.entries(names).map(([name, dotted]): [string, Part[]] => [name, dotted.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p))]),
  );
}

/** `iam_instance_profile.0` → `iam_instance_profile`: a Terraform block is named without its index. */
function withoutTrailingIndex(path: Part[]): Part[] {
  const out = [...path];
  while (typeof out[out.length - 1] === "number") out.pop();
  return out;
}

/** The property a CloudFormation value was written as `Ref` of, when that Ref names a parameter with a known value. */
function parameterOf(node: GraphNode, path: readonly Part[], value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const raw = writtenAt(node.written, path);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const keys = Object.keys(raw);
  const name = (raw as Record<string, unknown>)["Ref"];
  return keys.length === 1 && typeof name === "string" && !name.startsWith("AWS::") ? name : undefined;
}

/**
 * The attribute as the user wrote it: `IamInstanceProfile (parameter IAMRole = CloudWatchAgentAdminRole)`,
 * `LaunchTemplateData.IamInstanceProfile`, `iam_instance_profile`; the canonical name when the kind has no native path for it.
 */
export function attributeLabel(node: GraphNode, attr: string, value?: unknown): string {
  const path = nativePathOf(node, attr);
  if (!path) return attr;
  const shown = withoutTrailingIndex(path);
  const label = shown.length > 0 ? formatPath(shown) : attr;
  // A singular property read as a one-item list (`CidrIp`) names the item.
  const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
  const parameter = parameterOf(node, path, one);
  return parameter ? `${label} (parameter ${parameter} = ${String(one)})` : label;
}
