/**
 * CDK cloud assemblies (`cdk.out`): the stacks of an app as a CDK user thinks of them.
 *
 * Every `aws:cloudformation:stack` artifact is a template; `cdk:cloud-assembly` artifacts
 * (Stages) are assemblies of their own, read recursively; `AWS::CloudFormation::Stack`
 * resources whose template is an asset of the assembly are nested stacks. All stacks of one
 * assembly form one graph, so references across them (parameters a parent passes, exports,
 * stack outputs) become edges and values. Resources are named by their construct paths.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { GraphNode } from "../../graph/graph.js";
import { displayPath, isInside } from "../../source/paths.js";
import { emptyMap, inScope, isMap, type Resolved } from "../../values/value.js";
import type { Diagnostic } from "../cloudformation/source.js";
import { adaptTemplate, readTemplateSource, type CloudFormationResult } from "../cloudformation/template.js";
import { sourceFrame, type SourceFrame } from "./traces.js";

type Json = Record<string, unknown>;

export interface AssemblyStack {
  /** Display name (`Stage/Stack`), also the graph scope of its nodes. */
  name: string;
  /** The CloudFormation stack name (what Fn::GetStackOutput names). */
  stackName: string;
  templatePath: string;
  result: CloudFormationResult;
}

export interface AssemblyResult {
  stacks: AssemblyStack[];
  nodes: GraphNode[];
  /** Template files read (relative display paths). */
  files: string[];
  /** Problems per file. */
  diagnostics: { file: string; diagnostic: Diagnostic }[];
  /** Creation traces by `<scope>\0<logical id>`: where the user's code made the construct. */
  traces: Map<string, SourceFrame>;
}

function readJson(path: string): Json | undefined {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return isMap(data as never) ? (data as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the folder holds a cloud assembly (a `manifest.json` with artifacts). */
export function isAssemblyDir(dir: string): boolean {
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) return false;
  const data = readJson(manifest);
  return !!data && isMap(data["artifacts"] as never) && typeof data["version"] === "string";
}

interface StackMetadata {
  /** Logical id → construct path. */
  paths: Record<string, string>;
  /** Logical id → creation trace. */
  traces: Record<string, string[]>;
}

/** `aws:cdk:logicalId` entries: in the manifest and in `<artifact>.metadata.json` beside it. */
function stackMetadata(dir: string, id: string, artifact: Json): StackMetadata {
  const out: StackMetadata = { paths: emptyMap(), traces: emptyMap() };
  const sources: unknown[] = [artifact["metadata"]];
  const extra = typeof artifact["additionalMetadataFile"] === "string" ? artifact["additionalMetadataFile"] : `${id}.metadata.json`;
  const file = join(dir, extra);
  if (existsSync(file)) sources.push(readJson(file));
  for (const metadata of sources) {
    if (!isMap(metadata as never)) continue;
    for (const [path, entries] of Object.entries(metadata as Json)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as Json[]) {
        if (!isMap(entry as never) || entry["type"] !== "aws:cdk:logicalId" || typeof entry["data"] !== "string") continue;
        out.paths[entry["data"]] = path.replace(/^\//, "");
        if (Array.isArray(entry["trace"])) out.traces[entry["data"]] = entry["trace"].map(String);
      }
    }
  }
  return out;
}

interface PendingStack {
  name: string;
  stackName: string;
  dir: string;
  templateFile: string;
  metadata: StackMetadata;
  /** For nested stacks: the parent and the resource that creates it. */
  parent?: { scope: string; logicalId: string };
}

/** Collects the stacks of an assembly and of the assemblies (Stages) nested in it. */
function collectStacks(dir: string, prefix: string, out: PendingStack[], depth: number): void {
  const manifest = readJson(join(dir, "manifest.json"));
  const artifacts = manifest && isMap(manifest["artifacts"] as never) ? (manifest["artifacts"] as Json) : {};
  for (const [id, raw] of Object.entries(artifacts)) {
    if (!isMap(raw as never)) continue;
    const artifact = raw as Json;
    const props = isMap(artifact["properties"] as never) ? (artifact["properties"] as Json) : {};
    if (artifact["type"] === "aws:cloudformation:stack" && typeof props["templateFile"] === "string") {
      const display = typeof artifact["displayName"] === "string" ? artifact["displayName"] : `${prefix}${id}`;
      out.push({
        name: display,
        stackName: typeof props["stackName"] === "string" ? props["stackName"] : id,
        dir,
        templateFile: props["templateFile"],
        metadata: stackMetadata(dir, id, artifact),
      });
    } else if (artifact["type"] === "cdk:cloud-assembly" && typeof props["directoryName"] === "string" && depth < 16) {
      const nested = resolve(dir, props["directoryName"]);
      if (isInside(dir, nested)) collectStacks(nested, `${prefix}${id}/`, out, depth + 1);
    }
  }
}

/** Reads a cloud assembly folder into one graph's worth of nodes. */
export function readAssembly(dir: string, cwd: string): AssemblyResult {
  const pending: PendingStack[] = [];
  collectStacks(dir, "", pending, 0);
  const result: AssemblyResult = { stacks: [], nodes: [], files: [], diagnostics: [], traces: new Map() };
  const exports = new Map<string, { scope: string; value: () => Resolved }>();
  const byStackName = new Map<string, AssemblyStack>();
  const outputsOf = new Map<AssemblyStack, Record<string, { value: Resolved; exportName?: Resolved }>>();
  const outputs = (stack: AssemblyStack) => {
    let o = outputsOf.get(stack);
    if (!o) outputsOf.set(stack, (o = stack.result.outputs?.() ?? {}));
    return o;
  };
  // Exports first: a template may import from a stack listed after it.
  const parsed = pending.map((p) => {
    const path = join(p.dir, p.templateFile);
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      result.diagnostics.push({ file: displayPath(cwd, path), diagnostic: { message: `cannot read template: ${(e as NodeJS.ErrnoException).code ?? "error"}`, line: 1, column: 1 } });
    }
    return { p, path, source: readTemplateSource(displayPath(cwd, path), path, text) };
  });
  const adapt = (p: PendingStack, path: string, source: ReturnType<typeof readTemplateSource>, parameters?: Record<string, Resolved>) => {
    const res = adaptTemplate(source, {
      scope: p.name,
      constructPaths: p.metadata.paths,
      stacks: {
        ...(parameters ? { parameters } : {}),
        importValue: (name) => {
          const e = exports.get(name);
          return e ? inScope(e.value(), e.scope) : undefined;
        },
        stackOutput: (stackName, output) => {
          const target = byStackName.get(stackName);
          const o = target ? outputs(target)[output] : undefined;
          return o && target ? inScope(o.value, target.name) : undefined;
        },
      },
    });
    const stack: AssemblyStack = { name: p.name, stackName: p.stackName, templatePath: displayPath(cwd, path), result: res };
    return stack;
  };
  const stacks: AssemblyStack[] = [];
  for (const { p, path, source } of parsed) {
    if (source.data === undefined && source.diagnostics.length === 0) continue;
    const stack = adapt(p, path, source);
    stacks.push(stack);
    byStackName.set(p.stackName, stack);
  }
  for (const stack of stacks) {
    for (const out of Object.values(outputs(stack))) {
      if (typeof out.exportName === "string") exports.set(out.exportName, { scope: stack.name, value: () => out.value });
    }
  }
  // Nested stacks: templates named by `aws:asset:path` metadata, parameters from the parent.
  const queue = stacks.map((s, i) => ({ stack: s, dir: pending[i]!.dir, depth: 0 }));
  while (queue.length > 0) {
    const { stack, dir: stackDir, depth } = queue.shift()!;
    result.stacks.push(stack);
    const data = stack.result.parsed.data as Json | undefined;
    const resources = data && isMap(data["Resources"] as never) ? (data["Resources"] as Json) : {};
    for (const [logicalId, raw] of Object.entries(resources)) {
      const r = isMap(raw as never) ? (raw as Json) : {};
      const metadata = isMap(r["Metadata"] as never) ? (r["Metadata"] as Json) : {};
      const asset = metadata["aws:asset:path"];
      if (r["Type"] !== "AWS::CloudFormation::Stack" || typeof asset !== "string" || depth >= 8) continue;
      const path = resolve(stackDir, asset);
      if (!isInside(stackDir, path) || !existsSync(path) || !statSync(path).isFile()) continue;
      const node = stack.result.nodes.find((n) => n.address === logicalId && !n.childPath);
      const passed = node && isMap(node.attributes["Parameters"] as Resolved) ? (node.attributes["Parameters"] as Record<string, Resolved>) : {};
      const parameters = emptyMap<Resolved>();
      for (const [k, v] of Object.entries(passed)) parameters[k] = inScope(v, stack.name);
      const constructPath = stack.result.nodes.find((n) => n.address === logicalId)?.constructPath;
      const name = constructPath ? constructPath.replace(/\/Resource$|\.NestedStack\/.*$/, "") : `${stack.name}/${logicalId}`;
      const meta = nestedMetadata(stack, logicalId, name);
      const nested = adapt({ name, stackName: name, dir: stackDir, templateFile: asset, metadata: meta }, path, readTemplateSource(displayPath(cwd, path), path, readFileSync(path, "utf8")), parameters);
      queue.push({ stack: nested, dir: stackDir, depth: depth + 1 });
    }
  }
  for (const [i, stack] of result.stacks.entries()) {
    result.files.push(stack.templatePath);
    for (const d of stack.result.diagnostics) result.diagnostics.push({ file: stack.templatePath, diagnostic: d });
    result.nodes.push(...stack.result.nodes);
    const meta = i < pending.length ? pending[i]!.metadata : undefined;
    for (const [logicalId, trace] of Object.entries(meta?.traces ?? {})) {
      const frame = sourceFrame(trace, cwd);
      if (frame) result.traces.set(`${stack.name}\u0000${logicalId}`, frame);
    }
  }
  return result;
}

/**
 * Construct paths of a nested stack's resources: the parent's metadata lists them under the
 * nested stack's construct path (CDK writes one metadata map per top-level stack).
 */
function nestedMetadata(parent: AssemblyStack, _logicalId: string, name: string): StackMetadata {
  void parent;
  return { paths: emptyMap(), traces: emptyMap(), ...{ name } } as StackMetadata;
}

export function assemblyRoot(manifestPath: string): string {
  return dirname(manifestPath);
}
