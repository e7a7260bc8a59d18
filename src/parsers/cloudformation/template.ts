/**
 * CloudFormation templates (YAML, JSON, SAM) → graph nodes.
 */
import type { GraphNode } from "../../graph/graph.js";
import { mapResource, type NativeResource } from "../../graph/mapping.js";
import { emptyMap, hasKey, isMap, isRecord, Unknown, type Resolved, type ResolvedMap } from "../../values/value.js";
import type { Position, PropertyPath } from "../../source/location.js";
import { metadataSuppressions } from "../../suppressions/suppression.js";
import { PREPROCESSOR_RULE_ID } from "../../findings/preprocessor.js";
import { SUPPRESSION_NOTICE_ID } from "../../findings/suppression-notice.js";
import { CLOUDFORMATION_KINDS } from "./adapters.js";
import { IntrinsicResolver, type StackLinks, type TemplateParts } from "./intrinsics.js";
import { ruleAssertionNotes } from "./rules-section.js";
import { readJsonSource, readYamlSource, type Diagnostic, type ParsedSource } from "../../source/document.js";
import { expandInFragment, expandSection, FOR_EACH_PREFIX, isForEachKey, located, type ExpandedEntry } from "./language-extensions.js";
import { resourceTypes, scanPreprocessors, type PreprocessorNote } from "./preprocessors.js";
import { isRegistryModule } from "./registry-modules.js";
import { undeclaredReferences, type Declared } from "./undeclared-references.js";
import { cycleDiagnostics } from "./cycles.js";

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
  /** Parts a pre-processor or macro makes, which parapet does not expand: one note per pre-processor. */
  preprocessors?: (Diagnostic & Pick<PreprocessorNote, "subject">)[];
  /** The template's outputs, resolved: value and export name (for other stacks of a deployment). */
  outputs?: () => Record<string, { value: Resolved; exportName?: Resolved }>;
}

const TEMPLATE_HINT = /AWSTemplateFormatVersion|["']?Type["']?\s*:\s*(?:["']?(AWS|Custom)::|!Rain::Module|["']?\w+::\w+::\w+::MODULE\b)/;

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
  return Object.entries(resources as Record<string, unknown>).some(([key, r]) => isResourceEntry(key, r));
}

/** A resource with an AWS:: or Custom:: type, a rain or registry module, or a loop that makes such a resource. */
function isResourceEntry(key: string, r: unknown): boolean {
  if (isForEachKey(key)) {
    const fragment = Array.isArray(r) ? r[2] : undefined;
    return isRecord(fragment) && Object.entries(fragment).some(([k, v]) => isResourceEntry(k, v));
  }
  const type = isRecord(r) ? r["Type"] : undefined;
  if (isRecord(type)) return hasKey(type, "Rain::Module");
  return typeof type === "string" && (type.startsWith("AWS::") || type.startsWith("Custom::") || isRegistryModule(type));
}

export function readTemplateSource(path: string, absolutePath: string, text: string): ParsedSource {
  const json = /\.json$/i.test(path) || /^\s*[{[]/.test(text.replace(/^\uFEFF/, ""));
  return json ? readJsonSource(path, absolutePath, text) : readYamlSource(path, absolutePath, text);
}

/** Logical id → `Properties` as written. */
/** Each resource's properties by logical id, as written (loops not expanded). */
function propertiesOf(resources: Record<string, unknown>): Record<string, unknown> {
  const out = emptyMap<unknown>();
  for (const [id, r] of Object.entries(resources)) if (isRecord(r) && isRecord(r["Properties"])) out[id] = r["Properties"];
  return out;
}

/** Records each declared resource's properties by logical id (what `Fn::GetAtt` copies read). */
function recordProperties(entries: readonly ExpandedEntry[], out: Record<string, unknown>): void {
  for (const { key, value } of entries) if (isRecord(value) && isRecord(value["Properties"])) out[key] = value["Properties"];
}

function section(data: Record<string, unknown>, name: string): Record<string, unknown> {
  const s = data[name];
  return isRecord(s) ? s : emptyMap<unknown>();
}

const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

/**
 * The names a template declares: parameters, resources, pseudo parameters; with the SAM
 * transform also the resources SAM generates, named after a serverless resource
 * (`<Function>Role`, `<Api>Deployment`, `<Api><Stage>Stage`) or `Serverless…` (the implicit APIs);
 * and the resources inside a registry module, named after the module (`<Module>.<Inner>`, `<Module><Inner>`).
 */
function declaredNames(data: Record<string, unknown>, types: Record<string, string>): Declared {
  const parameters = section(data, "Parameters");
  const transforms = ([] as unknown[]).concat(data["Transform"] ?? []);
  const sam = transforms.includes(SAM_TRANSFORM);
  const serverless = sam ? Object.keys(types).filter((id) => types[id]!.startsWith("AWS::Serverless::")) : [];
  const prefixes = [...serverless, ...Object.keys(types).filter((id) => isRegistryModule(types[id]!))];
  return (name) =>
    name.startsWith("AWS::") ||
    hasKey(parameters, name) ||
    hasKey(types, name) ||
    (sam && name.startsWith("Serverless")) ||
    prefixes.some((id) => name.startsWith(id));
}

/** The sections of a template the intrinsic functions read. */
export function templateParts(data: Record<string, unknown>): TemplateParts {
  const resources = section(data, "Resources");
  const types = resourceTypes(resources);
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
  const scan = scanPreprocessors(parsed.file.text, parsed.data as Record<string, unknown>);
  const data = scan.data;
  const locate = (p: PropertyPath) => parsed.file.locate(p);
  const types = emptyMap<string>();
  const conditions = emptyMap<unknown>();
  const properties = emptyMap<unknown>();
  const resolver = new IntrinsicResolver(
    {
      parameters: section(data, "Parameters"),
      conditions,
      mappings: section(data, "Mappings"),
      resources: types,
      properties,
    },
    options.parameters ?? {},
    options.stacks ?? {},
  );
  // Fn::ForEach loops (AWS::LanguageExtensions) are expanded as CloudFormation expands them.
  const collectionOf = (raw: unknown) => resolver.resolve(raw);
  const expand = (name: string): ExpandedEntry[] => {
    const expansion = expandSection(section(data, name), [name], collectionOf);
    for (const d of expansion.diagnostics) diagnostics.push(located(d, locate));
    return expansion.entries;
  };
  const conditionEntries = expand("Conditions");
  for (const entry of conditionEntries) conditions[entry.key] = entry.value;
  const resources = declareResources(expand("Resources"), types, diagnostics, locate);
  // A macro or pre-processor rewrites the template before CloudFormation orders its resources.
  if (!scan.hidesNames) diagnostics.push(...cycleDiagnostics(resources, conditionEntries, locate));
  recordProperties(resources, properties);
  const loopsInside = parsed.file.text.includes(FOR_EACH_PREFIX);
  const scope = options.scope ?? parsed.file.path;
  const nodes: GraphNode[] = [];
  // A macro, a package command or a loop may declare names parapet does not see.
  const declared = !scan.hidesNames && !loopsInside ? declaredNames(data, types) : undefined;
  const checkReferences = (value: unknown, path: PropertyPath) => {
    if (!declared) return;
    for (const u of undeclaredReferences(value, path, declared)) {
      const where = locate(u.path) ?? locate(path);
      diagnostics.push({ message: u.message, line: where?.line ?? 1, column: where?.column ?? 1 });
    }
  };
  for (const entry of resources) {
    const id = entry.key;
    const type = types[id];
    if (type === undefined) {
      if (notChecked(id, entry.value)) continue; // made by a pre-processor or macro: its note says so
      const where = locate(entry.path);
      diagnostics.push({ message: `resource ${id} has no Type`, line: where?.line ?? 1, column: where?.column ?? 1 });
      continue;
    }
    const r = entry.value as Record<string, unknown>;
    let presence: Unknown | undefined = entry.unknown && !entry.nonEmpty ? new Unknown(`${id} stands for the resources of a loop: ${entry.unknown.reason}`) : undefined;
    if (typeof r["Condition"] === "string") {
      const holds = resolver.condition(r["Condition"]);
      if (holds === false) continue;
      if (holds instanceof Unknown) {
        presence ??= new Unknown(`${id} is created only when condition ${r["Condition"]} holds, which cannot be decided: ${holds.reason}`);
      }
    }
    const written = loopsInside ? expandInFragment(r["Properties"], [...entry.path, "Properties"], collectionOf, diagnostics, locate) : r["Properties"];
    checkReferences(written, [...entry.path, "Properties"]);
    const props = hasKey(r, "Properties") ? resolver.resolve(written) : emptyMap();
    const body: ResolvedMap = isMap(props) ? props : emptyMap();
    const resource: NativeResource = {
      format: options.format ?? "cloudformation",
      scope,
      address: id,
      nativeType: type,
      body,
      written,
      resourcePath: entry.path,
      bodyPath: [...entry.path, "Properties"],
      source: parsed.file,
      ...(presence ? { presence } : {}),
      ...constructPathOf(id, r, options),
      suppressions: metadataSuppressions(r["Metadata"], `${parsed.file.path}: Metadata of ${id}`, (at, message) =>
        diagnostics.push({ ...located({ message: `${id}: ${message}`, path: [...entry.path, "Metadata", ...at] }, locate), notice: SUPPRESSION_NOTICE_ID }),
      ),
    };
    nodes.push(...mapResource(resource, CLOUDFORMATION_KINDS[type]));
  }
  checkReferences(section(data, "Outputs"), ["Outputs"]);
  diagnostics.push(...ruleAssertionNotes(section(data, "Rules"), section(data, "Parameters"), resolver, parsed.file));
  const outputs = () => {
    const out: Record<string, { value: Resolved; exportName?: Resolved }> = emptyMap();
    for (const { key: name, value: raw } of expand("Outputs")) {
      if (!isRecord(raw) || name === "Fn::Transform") continue;
      const o = raw as Record<string, unknown>;
      const exportSpec = o["Export"];
      const exportName = isRecord(exportSpec) ? resolver.resolve((exportSpec as Record<string, unknown>)["Name"]) : undefined;
      out[name] = { value: resolver.resolve(o["Value"]), ...(exportName !== undefined ? { exportName } : {}) };
    }
    return out;
  };
  // Notes, not errors: each becomes a review finding that says what was not checked.
  const preprocessors = scan.notes.map((n) => ({ subject: n.subject, notice: PREPROCESSOR_RULE_ID, reason: n.message, ...located(n, locate) }));
  return { isTemplate: true, parsed, nodes, diagnostics, outputs, ...(preprocessors.length > 0 ? { preprocessors } : {}) };
}

/**
 * Records the type of each resource; a logical id that a loop produces a second time (or
 * that is also written out) is an error, as CloudFormation rejects the template.
 */
function declareResources(entries: ExpandedEntry[], types: Record<string, string>, diagnostics: Diagnostic[], locate: (p: PropertyPath) => Position | undefined): ExpandedEntry[] {
  const seen = new Set<string>();
  const kept: ExpandedEntry[] = [];
  for (const entry of entries) {
    if (seen.has(entry.key)) {
      diagnostics.push(located({ message: `Fn::ForEach produces the logical id ${entry.key}, which the template already declares`, path: entry.path }, locate));
      continue;
    }
    seen.add(entry.key);
    kept.push(entry);
    const type = isRecord(entry.value) ? entry.value["Type"] : undefined;
    if (typeof type === "string") types[entry.key] = type;
  }
  return kept;
}

/** A resource entry that a pre-processor or macro makes (a rain module, an AWS::Include). */
function notChecked(id: string, value: unknown): boolean {
  return id === "Fn::Transform" || value instanceof Unknown || (isRecord(value) && value["Type"] instanceof Unknown);
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
