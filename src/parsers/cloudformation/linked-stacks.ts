/**
 * Plain CloudFormation templates read together, so that values cross from one stack to another:
 *
 * - `Fn::ImportValue` of a name that exactly one template of the same folder exports takes that
 *   output's value, evaluated in the exporting template;
 * - an `AWS::CloudFormation::Stack` whose `TemplateURL` is a relative path to another of the
 *   templates is a nested stack: that template is read with the parameters the parent passes,
 *   and `Fn::GetAtt [Stack, Outputs.X]` in the parent takes its output X.
 *
 * An export name counts only when it is known without any other stack (parameters, defaults and
 * a stack name given as the `AWS::StackName` parameter); an unknown or ambiguous name links nothing.
 */
import { dirname, resolve } from "node:path";
import type { GraphNode } from "../../graph/graph.js";
import { emptyMap, inScope, isRecord, type Resolved } from "../../values/value.js";
import { FIXED_CAPS, fixedCap } from "../../limits/evaluation.js";
import { IntrinsicResolver, type StackLinks } from "./intrinsics.js";
import type { Diagnostic, ParsedSource } from "../../source/document.js";
import { adaptTemplate, isTemplateData, readTemplateSource, templateParts, type CloudFormationResult } from "./template.js";

export interface LinkedInput {
  path: string;
  absolutePath: string;
  text: string;
  /** Parameter values given for this template (`--param`, configuration). */
  parameters: Record<string, string>;
}

export interface LinkedTemplates {
  /** Every node of every stack read (nested stacks included), for one graph. */
  nodes: GraphNode[];
  /** By input path: whether it is a template, and its diagnostics (once, however often it was read). */
  templates: Map<string, { isTemplate: boolean; diagnostics: Diagnostic[] }>;
}

/** How deep nested stacks are followed (as in a CDK assembly). */
const MAX_NESTING = 8;

/** The parse error of a nested stack that is not followed: it nests deeper than `max` stacks. */
export function nestedTooDeep(logicalId: string, max: number): string {
  return `limit exceeded: nested stack ${logicalId} is more than ${max} stacks deep ${fixedCap("stack nesting")}; it was not checked with the parameters its parent passes: ${FIXED_CAPS["stack nesting"]}`;
}

interface Template {
  input: LinkedInput;
  parsed: ParsedSource;
  data: Record<string, unknown>;
}

interface LoadedStack {
  template: Template;
  scope: string;
  depth: number;
  /** The templates of this stack and the stacks that nest it (a template cannot nest one of them). */
  chain: ReadonlySet<Template>;
  result: CloudFormationResult;
  outputs?: ReturnType<NonNullable<CloudFormationResult["outputs"]>>;
}

function resourcesOf(data: Record<string, unknown>): [string, Record<string, unknown>][] {
  const resources = data["Resources"];
  return isRecord(resources) ? Object.entries(resources).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1])) : [];
}

/** A `TemplateURL` written as a local path (what `aws cloudformation package` reads), resolved from the parent's folder. */
export function localTemplatePath(parentFile: string, url: unknown): string | undefined {
  if (typeof url !== "string" || url.trim() === "" || /^[a-z][a-z0-9+.-]*:/i.test(url)) return undefined;
  return resolve(dirname(parentFile), url);
}

/** Logical id → template of each nested stack of `parent` whose template is one of the inputs. */
function nestedTemplatesOf(parent: Template, byFile: Map<string, Template>): Map<string, Template> {
  const out = new Map<string, Template>();
  for (const [id, r] of resourcesOf(parent.data)) {
    if (r["Type"] !== "AWS::CloudFormation::Stack" || !isRecord(r["Properties"])) continue;
    const file = localTemplatePath(parent.input.absolutePath, r["Properties"]["TemplateURL"]);
    const child = file ? byFile.get(file) : undefined;
    if (child) out.set(id, child);
  }
  return out;
}

type ExportIndex = Map<string, { template: Template; output: string }[]>;
const exportKey = (t: Template, name: string) => `${dirname(t.input.absolutePath)}\u0000${name}`;

/** Folder and export name → the templates and outputs that export it, for names known without other stacks. */
function exportIndex(templates: Template[]): ExportIndex {
  const index: ExportIndex = new Map();
  for (const t of templates) {
    const outputs = t.data["Outputs"];
    if (!isRecord(outputs)) continue;
    const resolver = new IntrinsicResolver(templateParts(t.data), t.input.parameters);
    for (const [output, o] of Object.entries(outputs)) {
      const spec = isRecord(o) && isRecord(o["Export"]) ? o["Export"] : undefined;
      const name = spec ? resolver.resolve(spec["Name"]) : undefined;
      if (typeof name !== "string") continue;
      const key = exportKey(t, name);
      index.set(key, [...(index.get(key) ?? []), { template: t, output }]);
    }
  }
  return index;
}

function parseInputs(inputs: LinkedInput[], out: LinkedTemplates): Template[] {
  const templates: Template[] = [];
  for (const input of inputs) {
    const parsed = readTemplateSource(input.path, input.absolutePath, input.text);
    const isTemplate = parsed.data === undefined || isTemplateData(parsed.data);
    out.templates.set(input.path, { isTemplate, diagnostics: [...parsed.diagnostics] });
    if (parsed.data !== undefined && isTemplate) templates.push({ input, parsed, data: parsed.data as Record<string, unknown> });
  }
  return templates.sort((a, b) => (a.input.path < b.input.path ? -1 : a.input.path > b.input.path ? 1 : 0));
}

/** Reads templates with the links between them; every template is read at least once, as a stack of its own if no other nests it. */
export function readLinkedTemplates(inputs: LinkedInput[]): LinkedTemplates {
  const out: LinkedTemplates = { nodes: [], templates: new Map() };
  const reader = new LinkedReader(parseInputs(inputs, out));
  const stacks = reader.readAll();
  const reported = new Set<Template>();
  for (const s of stacks) {
    out.nodes.push(...s.result.nodes);
    if (reported.has(s.template)) continue;
    reported.add(s.template);
    out.templates.set(s.template.input.path, { isTemplate: true, diagnostics: s.result.diagnostics });
  }
  for (const { template, logicalId } of reader.tooDeep) {
    const at = template.parsed.file.locate(["Resources", logicalId]);
    const entry = out.templates.get(template.input.path);
    if (entry) entry.diagnostics = [...entry.diagnostics, { message: nestedTooDeep(logicalId, MAX_NESTING), line: at?.line ?? 1, column: at?.column ?? 1 }];
  }
  return out;
}

/** Reads each stack once, when first needed: by a stack that imports its export or reads its output, or in file order. */
class LinkedReader {
  private readonly nestedOf: Map<Template, Map<string, Template>>;
  private readonly nestedSomewhere: Set<Template>;
  private readonly exports: ExportIndex;
  private readonly loaded = new Map<string, LoadedStack | "loading">();
  private readonly stacks: LoadedStack[] = [];
  private expanded = 0;
  /** Nested stacks not followed because they nest deeper than {@link MAX_NESTING}: the parent template and the logical id. */
  readonly tooDeep: { template: Template; logicalId: string }[] = [];

  constructor(private readonly templates: Template[]) {
    const byFile = new Map(templates.map((t) => [t.input.absolutePath, t]));
    this.nestedOf = new Map(templates.map((t) => [t, nestedTemplatesOf(t, byFile)]));
    this.nestedSomewhere = new Set([...this.nestedOf.values()].flatMap((m) => [...m.values()]));
    this.exports = exportIndex(templates.filter((t) => !this.nestedSomewhere.has(t)));
  }

  /** Every stack: the templates no other nests, their nested stacks, then templates only nested in a loop. */
  readAll(): LoadedStack[] {
    for (const t of this.templates) if (!this.nestedSomewhere.has(t)) this.load(t, t.parsed.file.path);
    this.loadAllNested();
    for (const t of this.templates) {
      if (this.stacks.some((s) => s.template === t)) continue;
      this.load(t, t.parsed.file.path);
      this.loadAllNested();
    }
    return this.stacks;
  }

  private loadAllNested(): void {
    for (; this.expanded < this.stacks.length; this.expanded++) {
      const parent = this.stacks[this.expanded]!;
      for (const [logicalId, child] of this.nestedOf.get(parent.template) ?? []) {
        const node = parent.result.nodes.find((n) => n.address === logicalId && !n.childPath);
        if (node) this.loadNested(parent, logicalId, child, node.attributes["Parameters"] ?? emptyMap()); // else its condition is false
      }
    }
  }

  private loadNested(parent: Omit<LoadedStack, "result">, logicalId: string, child: Template, passed: Resolved): LoadedStack | undefined {
    if (parent.chain.has(child)) return undefined;
    if (parent.depth >= MAX_NESTING) {
      if (!this.tooDeep.some((d) => d.template === parent.template && d.logicalId === logicalId)) this.tooDeep.push({ template: parent.template, logicalId });
      return undefined;
    }
    return this.load(child, `${parent.scope}/${logicalId}`, parent, scoped(passed, parent.scope));
  }

  private load(template: Template, scope: string, parent?: Omit<LoadedStack, "result">, parameters?: Record<string, Resolved>): LoadedStack | undefined {
    const seen = this.loaded.get(scope);
    if (seen !== undefined) return seen === "loading" ? undefined : seen;
    this.loaded.set(scope, "loading");
    const self = { template, scope, depth: parent ? parent.depth + 1 : 0, chain: new Set([...(parent?.chain ?? []), template]) };
    const links: StackLinks = {
      ...(parameters ? { parameters } : {}),
      importValue: (name) => this.imported(template, name),
      nestedOutput: (logicalId, output, passed) => {
        const child = this.nestedOf.get(template)?.get(logicalId);
        return child ? this.outputValue(this.loadNested(self, logicalId, child, passed()), output) : undefined;
      },
    };
    const stack: LoadedStack = { ...self, result: adaptTemplate(template.parsed, { parameters: template.input.parameters, scope, stacks: links }) };
    this.loaded.set(scope, stack);
    this.stacks.push(stack);
    return stack;
  }

  private imported(importer: Template, name: string): Resolved | undefined {
    const found = this.exports.get(exportKey(importer, name));
    if (found?.length !== 1) return undefined;
    const { template, output } = found[0]!;
    return this.outputValue(this.load(template, template.parsed.file.path), output);
  }

  /** An output's value, evaluated in its stack: a reference stays a reference to that stack's resource. */
  private outputValue(stack: LoadedStack | undefined, output: string): Resolved | undefined {
    if (!stack) return undefined;
    const o = (stack.outputs ??= stack.result.outputs?.() ?? {})[output];
    return o ? inScope(o.value, stack.scope) : undefined;
  }
}

/** Parameter values a parent passes, tied to the parent's scope (a reference stays a reference to the parent's resource). */
function scoped(passed: Resolved, scope: string): Record<string, Resolved> {
  const out = emptyMap<Resolved>();
  if (isRecord(passed)) for (const [k, v] of Object.entries(passed)) out[k] = inScope(v as Resolved, scope);
  return out;
}
