/**
 * CloudFormation templates (YAML, JSON, SAM) → graph nodes.
 */
import type { GraphNode } from "../../graph/graph.js";
import { mapResource, type NativeResource } from "../../graph/mapping.js";
import { emptyMap, hasKey, isMap, isRecord, Unknown, type Resolved, type ResolvedMap } from "../../values/value.js";
import { metadataSuppressions } from "../../suppressions/suppression.js";
import { CLOUDFORMATION_KINDS } from "./adapters.js";
import { IntrinsicResolver, type StackLinks, type TemplateParts } from "./intrinsics.js";
import { readJsonSource, readYamlSource, type Diagnostic, type ParsedSource } from "./source.js";

export interface CloudFormationOptions {
  /** Parameter values that replace the template's defaults. */
  parameters?: Record<string, string>;
  /** Values from the other stacks of a deployment (CDK assemblies, nested stacks). */
  stacks?: StackLinks;
  /** The graph scope of the template's nodes (default: the file's path). */
  scope?: string;
  /** Construct paths by logical id (CDK), shown with findings. */
  constructPaths?: Record<string, string>;
  /** The format findings report (`cdk` for the templates of a cloud assembly). */
  format?: "cloudformation" | "cdk";
}

export interface CloudFormationResult {
  /** False when the file is valid YAML/JSON but not a CloudFormation template. */
  isTemplate: boolean;
  parsed: ParsedSource;
  nodes: GraphNode[];
  diagnostics: Diagnostic[];
  /** The template's outputs, resolved: value and export name (for other stacks of a deployment). */
  outputs?: () => Record<string, { value: Resolved; exportName?: Resolved }>;
}

const TEMPLATE_HINT = /AWSTemplateFormatVersion|["']?Type["']?\s*:\s*["']?(AWS|Custom)::/;

/** A cheap look at the text: could this be a template? (Saves parsing every YAML file of a repository.) */
export function mayBeTemplate(text: string): boolean {
  return TEMPLATE_HINT.test(text);
}

/** True when parsed data has the shape of a CloudFormation template. */
export function isTemplateData(data: unknown): boolean {
  if (!isRecord(data)) return false;
  const d = data as Record<string, unknown>;
  if (hasKey(d, "AWSTemplateFormatVersion")) return true;
  const resources = d["Resources"];
  if (!isRecord(resources)) return false;
  return Object.values(resources as Record<string, unknown>).some((r) => {
    const type = isRecord(r) ? r["Type"] : undefined;
    return typeof type === "string" && (type.startsWith("AWS::") || type.startsWith("Custom::"));
  });
}

export function readTemplateSource(path: string, absolutePath: string, text: string): ParsedSource {
  const json = /\.json$/i.test(path) || /^\s*[{[]/.test(text.replace(/^\uFEFF/, ""));
  return json ? readJsonSource(path, absolutePath, text) : readYamlSource(path, absolutePath, text);
}

/** Logical id → `Properties` as written. */
function propertiesOf(resources: Record<string, unknown>): Record<string, unknown> {
  const out = emptyMap<unknown>();
  for (const [id, r] of Object.entries(resources)) if (isRecord(r) && isRecord(r["Properties"])) out[id] = r["Properties"];
  return out;
}

function section(data: Record<string, unknown>, name: string): Record<string, unknown> {
  const s = data[name];
  return isRecord(s) ? s : emptyMap<unknown>();
}

/** The sections of a template the intrinsic functions read. */
export function templateParts(data: Record<string, unknown>): TemplateParts {
  const resources = section(data, "Resources");
  const types = emptyMap<string>();
  for (const [id, r] of Object.entries(resources)) {
    const type = isRecord(r) ? r["Type"] : undefined;
    if (typeof type === "string") types[id] = type;
  }
  return {
    parameters: section(data, "Parameters"),
    conditions: section(data, "Conditions"),
    mappings: section(data, "Mappings"),
    resources: types,
    properties: propertiesOf(resources),
  };
}

/** Builds the graph nodes of one parsed template (the scope is the file's path). */
export function adaptTemplate(parsed: ParsedSource, options: CloudFormationOptions = {}): CloudFormationResult {
  const diagnostics = [...parsed.diagnostics];
  if (parsed.data === undefined) return { isTemplate: true, parsed, nodes: [], diagnostics };
  if (!isTemplateData(parsed.data)) return { isTemplate: false, parsed, nodes: [], diagnostics };
  const data = parsed.data as Record<string, unknown>;
  const resources = section(data, "Resources");
  const parts = templateParts(data);
  const types = parts.resources;
  const resolver = new IntrinsicResolver(parts, options.parameters ?? {}, options.stacks ?? {});
  const scope = options.scope ?? parsed.file.path;
  const nodes: GraphNode[] = [];
  for (const [id, raw] of Object.entries(resources)) {
    if (id.startsWith("Fn::ForEach::")) continue; // expanded by the LanguageExtensions transform at deployment
    const type = types[id];
    if (type === undefined) {
      const where = parsed.file.locate(["Resources", id]);
      diagnostics.push({ message: `resource ${id} has no Type`, line: where?.line ?? 1, column: where?.column ?? 1 });
      continue;
    }
    const r = raw as Record<string, unknown>;
    let presence: Unknown | undefined;
    if (typeof r["Condition"] === "string") {
      const holds = resolver.condition(r["Condition"]);
      if (holds === false) continue;
      if (holds instanceof Unknown) {
        presence = new Unknown(`${id} is created only when condition ${r["Condition"]} holds, which cannot be decided: ${holds.reason}`);
      }
    }
    const props = hasKey(r, "Properties") ? resolver.resolve(r["Properties"]) : emptyMap();
    const body: ResolvedMap = isMap(props) ? props : emptyMap();
    const resource: NativeResource = {
      format: options.format ?? "cloudformation",
      scope,
      address: id,
      nativeType: type,
      body,
      resourcePath: ["Resources", id],
      bodyPath: ["Resources", id, "Properties"],
      source: parsed.file,
      ...(presence ? { presence } : {}),
      ...constructPathOf(id, r, options),
      suppressions: metadataSuppressions(r["Metadata"], `${parsed.file.path}: Metadata of ${id}`),
    };
    nodes.push(...mapResource(resource, CLOUDFORMATION_KINDS[type]));
  }
  const outputs = () => {
    const out: Record<string, { value: Resolved; exportName?: Resolved }> = emptyMap();
    for (const [name, raw] of Object.entries(section(data, "Outputs"))) {
      if (!isRecord(raw)) continue;
      const o = raw as Record<string, unknown>;
      const exportSpec = o["Export"];
      const exportName = isRecord(exportSpec) ? resolver.resolve((exportSpec as Record<string, unknown>)["Name"]) : undefined;
      out[name] = { value: resolver.resolve(o["Value"]), ...(exportName !== undefined ? { exportName } : {}) };
    }
    return out;
  };
  return { isTemplate: true, parsed, nodes, diagnostics, outputs };
}

/**
 * The construct path of a resource of a CDK assembly: from the stack's `aws:cdk:logicalId`
 * metadata, else from the resource's own `aws:cdk:path` metadata.
 */
function constructPathOf(id: string, resource: Record<string, unknown>, options: CloudFormationOptions): { constructPath?: string } {
  if (!options.constructPaths) return {};
  const fromStack = options.constructPaths[id];
  if (fromStack) return { constructPath: fromStack };
  const metadata = resource["Metadata"];
  const own = isRecord(metadata) ? metadata["aws:cdk:path"] : undefined;
  return typeof own === "string" ? { constructPath: own } : {};
}

/** Reads and adapts a template file's text. */
export function loadTemplate(path: string, absolutePath: string, text: string, options: CloudFormationOptions = {}): CloudFormationResult {
  return adaptTemplate(readTemplateSource(path, absolutePath, text), options);
}
