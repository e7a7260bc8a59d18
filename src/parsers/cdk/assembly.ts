/**
 * CDK cloud assemblies (`cdk.out`): the stacks of an app as a CDK user thinks of them.
 *
 * Every `aws:cloudformation:stack` artifact is a template; `cdk:cloud-assembly` artifacts
 * (Stages) are assemblies of their own, read recursively; `AWS::CloudFormation::Stack`
 * resources whose template is an asset of the assembly are nested stacks. All stacks of one
 * assembly form one graph, so references across them (parameters a parent passes, exports,
 * stack outputs) become edges and values. Resources are named by their construct paths.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { GraphNode } from "../../graph/graph.js";
import type { PropertyPath } from "../../source/location.js";
import { displayPath, isInside } from "../../source/paths.js";
import { emptyMap, inScope, type Resolved, isRecord } from "../../values/value.js";
import type { Diagnostic } from "../../source/document.js";
import { adaptTemplate, readTemplateSource, type CloudFormationResult } from "../cloudformation/template.js";
import { nestedTooDeep } from "../cloudformation/linked-stacks.js";
import { fixedCap } from "../../limits/evaluation.js";
import { fileAssets, nestedTemplate, type FileAssets } from "./nested-stacks.js";
import { looksLikeAssemblyManifest, readJsonFile, type TooLarge } from "./json-file.js";
import { sourceFrame, type SourceFrame } from "./traces.js";
import { checkedText, readProblem, readSource } from "../../source/read.js";
import { templateEncodingNote } from "../../findings/file-notices.js";

type Json = Record<string, unknown>;

export interface AssemblyResult {
  nodes: GraphNode[];
  /** Template files read (display paths). */
  files: string[];
  diagnostics: { file: string; diagnostic: Diagnostic }[];
  /** Where the user's code created a construct, by construct path. */
  traces: Map<string, SourceFrame>;
}

function readJson(path: string, tooLarge?: TooLarge): Json | undefined {
  const data = readJsonFile(path, tooLarge);
  return isRecord(data) ? (data as Json) : undefined;
}



/** How many templates an assembly folder holds (its Stages' included): its time budget in files. */
export function countAssemblyTemplates(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".template.json")).length;
  } catch {
    return 1;
  }
}

/** True when the folder holds a cloud assembly (a `manifest.json` with artifacts). */
export function isAssemblyDir(dir: string): boolean {
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) return false;
  let large = false;
  const data = readJson(manifest, () => (large = true));
  // One too large to read is still an assembly's when it starts like one: linting it reports the limit.
  if (large) return looksLikeAssemblyManifest(manifest);
  return !!data && isRecord(data["artifacts"]) && typeof data["version"] === "string";
}

/** One `aws:cdk:logicalId` entry: a construct path and the logical id it has in its template. */
interface ConstructEntry {
  path: string;
  logicalId: string;
  trace?: string[];
}

/**
 * The construct metadata maps of a stack artifact: in `manifest.json` (older CDK) and in the
 * `<artifact>.metadata.json` file beside it (recent CDK).
 */
function metadataMaps(dir: string, id: string, artifact: Json, tooLarge: TooLarge): unknown[] {
  const maps: unknown[] = [artifact["metadata"]];
  const extra = typeof artifact["additionalMetadataFile"] === "string" ? artifact["additionalMetadataFile"] : `${id}.metadata.json`;
  const file = resolve(dir, extra);
  if (isInside(dir, file) && existsSync(file)) maps.push(readJson(file, tooLarge));
  return maps;
}

/**
 * The construct entries of a stack artifact's metadata maps. A creation trace is either a `trace` of the
 * entry or an `aws:cdk:creationStack` entry of the same path.
 */
function constructEntries(maps: unknown[]): ConstructEntry[] {
  const out: ConstructEntry[] = [];
  for (const metadata of maps) {
    if (!isRecord(metadata)) continue;
    for (const [path, list] of Object.entries(metadata)) {
      if (!Array.isArray(list)) continue;
      const entries = list.filter(isRecord);
      const logical = entries.find((e) => e["type"] === "aws:cdk:logicalId" && typeof e["data"] === "string");
      if (!logical) continue;
      const creation = entries.find((e) => e["type"] === "aws:cdk:creationStack" && Array.isArray(e["data"]));
      const trace = Array.isArray(logical["trace"]) ? logical["trace"] : creation ? creation["data"] : undefined;
      out.push({ path: path.replace(/^\//, ""), logicalId: logical["data"] as string, ...(Array.isArray(trace) ? { trace: trace.map(String) } : {}) });
    }
  }
  return out;
}

interface StackArtifact {
  id: string;
  /** Artifact ids this stack depends on (it may import their exports). */
  dependencies: string[];
  /** Construct path of the stack (`Prod/Service`); the graph scope of its nodes. */
  name: string;
  /** CloudFormation stack name (what `Fn::GetStackOutput` names). */
  stackName: string;
  dir: string;
  templateFile: string;
  entries: ConstructEntry[];
  /** The file assets of the stack's assembly folder (nested stacks' templates among them). */
  assets: FileAssets;
}

/** How deep nested cloud assemblies (CDK Stages) are read. */
const MAX_STAGE_NESTING = 16;

/**
 * `tooDeep` receives the manifests whose nested assemblies were not read: they nest deeper than
 * {@link MAX_STAGE_NESTING}; `tooLarge` the JSON files over `max-file-size`, which are not read.
 */
function collectStacks(dir: string, out: StackArtifact[], depth: number, tooDeep: string[], tooLarge: TooLarge): void {
  const manifest = readJson(join(dir, "manifest.json"), tooLarge);
  const artifacts = manifest && isRecord(manifest["artifacts"]) ? manifest["artifacts"] : {};
  const folderStacks: StackArtifact[] = [];
  const folderMetadata: unknown[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact)) continue;
    const props = isRecord(artifact["properties"]) ? artifact["properties"] : {};
    if (artifact["type"] === "aws:cloudformation:stack" && typeof props["templateFile"] === "string") {
      const maps = metadataMaps(dir, id, artifact, tooLarge);
      folderMetadata.push(...maps);
      folderStacks.push({
        id,
        dependencies: Array.isArray(artifact["dependencies"]) ? artifact["dependencies"].map(String) : [],
        name: typeof artifact["displayName"] === "string" ? artifact["displayName"] : id,
        stackName: typeof props["stackName"] === "string" ? props["stackName"] : id,
        dir,
        templateFile: props["templateFile"],
        entries: constructEntries(maps),
        assets: new Map(),
      });
    } else if (artifact["type"] === "cdk:cloud-assembly" && typeof props["directoryName"] === "string") {
      const nested = resolve(dir, props["directoryName"]);
      if (!isInside(dir, nested) || nested === dir) continue;
      if (depth < MAX_STAGE_NESTING) collectStacks(nested, out, depth + 1, tooDeep, tooLarge);
      else if (!tooDeep.includes(dir)) tooDeep.push(dir);
    }
  }
  const assets = fileAssets(dir, artifacts, folderMetadata, tooLarge);
  for (const stack of folderStacks) out.push({ ...stack, assets });
}

/** The entries that belong to one stack: under its path, not under a nested stack's. */
function entriesOf(all: ConstructEntry[], stack: string, nestedStacks: string[]): Record<string, string> {
  const own = emptyMap<string>();
  const deeper = nestedStacks.filter((n) => n.startsWith(`${stack}/`));
  for (const e of all) {
    if (!e.path.startsWith(`${stack}/`)) continue;
    if (deeper.some((n) => e.path.startsWith(`${n}/`))) continue;
    own[e.logicalId] = e.path;
  }
  return own;
}

/** `Parent/Rules.NestedStack/Rules.NestedStackResource` → `Parent/Rules`. */
function nestedStackPath(resourcePath: string): string | undefined {
  const i = resourcePath.indexOf(".NestedStack/");
  return i < 0 ? undefined : resourcePath.slice(0, i);
}

/** How deep nested stacks are read. */
const MAX_NESTING = 8;

interface LoadedStack {
  artifact: StackArtifact;
  name: string;
  stackName: string;
  templatePath: string;
  result: CloudFormationResult;
  depth: number;
}

/** The artifacts with every stack after the stacks it depends on (manifest order otherwise). */
function dependencyOrder(artifacts: StackArtifact[]): StackArtifact[] {
  const byId = new Map(artifacts.map((a) => [a.id, a]));
  const done = new Set<StackArtifact>();
  const visiting = new Set<StackArtifact>();
  const out: StackArtifact[] = [];
  const visit = (a: StackArtifact) => {
    if (done.has(a) || visiting.has(a)) return;
    visiting.add(a);
    for (const dep of a.dependencies) {
      const d = byId.get(dep);
      if (d) visit(d);
    }
    visiting.delete(a);
    done.add(a);
    out.push(a);
  };
  for (const a of artifacts) visit(a);
  return out;
}

type NestedStack = { name: string; file: string; parameters: Record<string, Resolved> } | { problem: string; at: PropertyPath };

/** Where the nested stack of resource `logicalId` of a stack is: its name and template, a problem, or `external`. */
function nestedStackAt(
  parent: { artifact: StackArtifact; name: string },
  logicalId: string,
  raw: Record<string, unknown>,
  constructPath: string | undefined,
): { name: string; file: string } | { problem: string; at: PropertyPath } | "external" {
  const found = nestedTemplate(logicalId, raw, parent.artifact.dir, parent.artifact.assets, constructPath);
  if (found === "external" || "problem" in found) return found;
  return { name: (constructPath && nestedStackPath(constructPath)) ?? `${parent.name}/${logicalId}`, file: found.file };
}

/** Parameter values a parent passes, tied to the parent's scope. */
function passedParameters(passed: unknown, parentName: string): Record<string, Resolved> {
  const parameters = emptyMap<Resolved>();
  if (isRecord(passed)) for (const [k, v] of Object.entries(passed)) parameters[k] = inScope(v as Resolved, parentName);
  return parameters;
}

/** A loaded stack's `AWS::CloudFormation::Stack` resources, by logical id. */
function stackResources(stack: LoadedStack): [string, Record<string, unknown>][] {
  const data = stack.result.parsed.data;
  const resources = isRecord(data) && isRecord(data["Resources"]) ? data["Resources"] : {};
  return Object.entries(resources).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]) && e[1]["Type"] === "AWS::CloudFormation::Stack");
}

/** The nested stacks of a loaded stack: its `AWS::CloudFormation::Stack` resources whose template is in the assembly. */
function nestedStacksOf(stack: LoadedStack): NestedStack[] {
  const out: NestedStack[] = [];
  for (const [logicalId, raw] of stackResources(stack)) {
    const node = stack.result.nodes.find((n) => n.address === logicalId && !n.childPath);
    const found = nestedStackAt(stack, logicalId, raw, node?.constructPath);
    if (found === "external") continue;
    if ("problem" in found) out.push(found);
    else out.push({ ...found, parameters: passedParameters(node?.attributes["Parameters"], stack.name) });
  }
  return out;
}

/** The logical ids of a stack's nested stacks that are in the assembly. */
function nestedStackIds(stack: LoadedStack): string[] {
  return stackResources(stack)
    .filter(([logicalId, raw]) => nestedStackAt(stack, logicalId, raw, undefined) !== "external")
    .map(([logicalId]) => logicalId);
}

/** Reads a cloud assembly folder into one graph's worth of nodes. */
export function readAssembly(dir: string, cwd: string, parameterValues: Record<string, string> = {}): AssemblyResult {
  const artifacts: StackArtifact[] = [];
  const tooDeep: string[] = [];
  const result: AssemblyResult = { nodes: [], files: [], diagnostics: [], traces: new Map() };
  // An assembly JSON file over max-file-size is a limit finding at it; the rest is read without it.
  const tooLarge: TooLarge = (path, e) => {
    const file = displayPath(cwd, path);
    if (!result.diagnostics.some((d) => d.file === file)) result.diagnostics.push({ file, diagnostic: readProblem(e) });
  };
  collectStacks(dir, artifacts, 0, tooDeep, tooLarge);
  for (const at of tooDeep) {
    const message = `limit exceeded: the cloud assembly nests stages more than ${MAX_STAGE_NESTING} deep ${fixedCap("stack nesting")}; the stages below this manifest were not checked`;
    result.diagnostics.push({ file: displayPath(cwd, join(at, "manifest.json")), diagnostic: { message, line: 1, column: 1 } });
  }
  const exports = new Map<string, { scope: string; value: Resolved }>();
  const byStackName = new Map<string, LoadedStack>();
  const outputsOf = new Map<LoadedStack, Record<string, { value: Resolved; exportName?: Resolved }>>();
  const outputs = (stack: LoadedStack) => {
    let o = outputsOf.get(stack);
    if (!o) outputsOf.set(stack, (o = stack.result.outputs?.() ?? {}));
    return o;
  };

  const loadedNested = new Map<string, LoadedStack | "loading">();
  /** A nested stack, read once: from the parent's loop below, or earlier when the parent reads one of its outputs. */
  const loadNested = (parent: { artifact: StackArtifact; name: string }, nested: { name: string; file: string; parameters: Record<string, Resolved> }, depth: number) => {
    const seen = loadedNested.get(nested.name);
    if (seen !== undefined) return seen === "loading" ? undefined : seen;
    loadedNested.set(nested.name, "loading");
    const s = load(parent.artifact, nested.name, nested.file, depth, nested.parameters);
    loadedNested.set(nested.name, s);
    return s;
  };

  const load = (artifact: StackArtifact, name: string, templateFile: string, depth: number, parameters?: Record<string, Resolved>): LoadedStack => {
    const path = resolve(artifact.dir, templateFile);
    const shown = displayPath(cwd, path);
    let text = "{}";
    let reported = shown;
    // A manifest names files inside its assembly; one pointing elsewhere is not followed.
    if (!isInside(dir, path)) {
      const manifest = displayPath(cwd, join(artifact.dir, "manifest.json"));
      const message = `the manifest names a template outside the cloud assembly (${templateFile}); it was not read`;
      result.diagnostics.push({ file: manifest, diagnostic: { message, line: 1, column: 1 } });
      reported = manifest;
    } else {
      try {
        const decoded = readSource(path);
        text = checkedText(decoded);
        if (decoded.encoding !== "UTF-8") result.diagnostics.push({ file: shown, diagnostic: templateEncodingNote(decoded) });
      } catch (e) {
        text = "{}"; // reported: not parsed again as an empty template
        result.diagnostics.push({ file: shown, diagnostic: readProblem(e) });
      }
    }
    const nested = artifact.entries.map((e) => nestedStackPath(e.path)).filter((p): p is string => p !== undefined);
    const parsed = readTemplateSource(shown, path, text);
    const constructPaths = entriesOf(artifact.entries, name, nested);
    const res = adaptTemplate(parsed, {
      format: "cdk",
      parameters: parameterValues,
      scope: name,
      constructPaths,
      stacks: {
        ...(parameters ? { parameters } : {}),
        importValue: (exportName) => {
          const e = exports.get(exportName);
          return e ? inScope(e.value, e.scope) : undefined;
        },
        stackOutput: (stackName, output) => {
          const target = byStackName.get(stackName);
          const o = target ? outputs(target)[output] : undefined;
          return o && target ? inScope(o.value, target.name) : undefined;
        },
        nestedOutput: (logicalId, output, passed) => {
          const raw = isRecord(parsed.data) && isRecord(parsed.data["Resources"]) ? parsed.data["Resources"][logicalId] : undefined;
          const found = isRecord(raw) && depth < MAX_NESTING ? nestedStackAt({ artifact, name }, logicalId, raw, constructPaths[logicalId]) : "external";
          if (found === "external" || "problem" in found) return undefined;
          const child = loadNested({ artifact, name }, { ...found, parameters: passedParameters(passed(), name) }, depth + 1);
          const o = child ? outputs(child)[output] : undefined;
          return o && child ? inScope(o.value, child.name) : undefined;
        },
      },
    });
    return { artifact, name, stackName: name, templatePath: reported, result: res, depth };
  };

  // Stacks are read after the stacks they depend on, whose exports and outputs they may use.
  const stacks: LoadedStack[] = [];
  for (const a of dependencyOrder(artifacts)) {
    const s = load(a, a.name, a.templateFile, 0);
    s.stackName = a.stackName;
    byStackName.set(a.stackName, s);
    for (const out of Object.values(outputs(s))) {
      if (typeof out.exportName === "string") exports.set(out.exportName, { scope: s.name, value: out.value });
    }
    stacks.push(s);
  }
  // Nested stacks: templates that are file assets of the parent's assembly, with the parameters the parent passes.
  for (let i = 0; i < stacks.length; i++) {
    const stack = stacks[i]!;
    if (stack.depth >= MAX_NESTING) {
      // Not followed: a parse error at each nested stack, so the run does not pass without them.
      for (const logicalId of nestedStackIds(stack)) {
        const position = stack.result.parsed.file.locate(["Resources", logicalId]);
        result.diagnostics.push({ file: stack.templatePath, diagnostic: { message: nestedTooDeep(logicalId, MAX_NESTING), line: position?.line ?? 1, column: position?.column ?? 1 } });
      }
      continue;
    }
    for (const nested of nestedStacksOf(stack)) {
      if ("problem" in nested) {
        const position = stack.result.parsed.file.locate(nested.at);
        result.diagnostics.push({ file: stack.templatePath, diagnostic: { message: nested.problem, line: position?.line ?? 1, column: position?.column ?? 1 } });
        continue;
      }
      // One whose output the parent read is read already: it joins the list here.
      const loaded = loadNested(stack, nested, stack.depth + 1);
      if (loaded && !stacks.includes(loaded)) stacks.push(loaded);
    }
  }
  for (const stack of stacks) {
    result.files.push(stack.templatePath);
    for (const d of stack.result.diagnostics) result.diagnostics.push({ file: stack.templatePath, diagnostic: d });
    // Pre-processors and macros an app adds (`addTransform`) are notes on the stack's template.
    for (const note of stack.result.preprocessors ?? []) result.diagnostics.push({ file: stack.templatePath, diagnostic: note });
    result.nodes.push(...stack.result.nodes);
  }
  for (const artifact of artifacts) {
    for (const e of artifact.entries) {
      const frame = e.trace ? sourceFrame(e.trace, cwd) : undefined;
      if (frame) result.traces.set(e.path, frame);
    }
  }
  return result;
}
