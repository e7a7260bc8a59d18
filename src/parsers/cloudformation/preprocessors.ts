/**
 * Templates that a pre-processor or a macro changes before CloudFormation creates anything:
 * rain's directives (`rain pkg`), the modules of `rain pkg` / `aws cloudformation package`,
 * macros (a top-level `Transform`, `Fn::Transform`) and registry modules (`Type: X::Y::Z::MODULE`,
 * see registry-modules.ts). parapet does not run them; it
 * reports once per file and pre-processor what it could not check, and checks the rest.
 * `AWS::Serverless-2016-10-31` (SAM resources are read as written) and
 * `AWS::LanguageExtensions` (expanded offline, see language-extensions.ts) are not reported.
 */
import type { PropertyPath } from "../../source/location.js";
import { emptyMap, isRecord, lookupTable, Unknown } from "../../values/value.js";
import { registryModuleNotes } from "./registry-modules.js";
import { PREPROCESSOR_TAGS } from "../../source/cloudformation-tags.js";

const PACKAGE_FUNCTIONS = new Set(Object.values(PREPROCESSOR_TAGS));

/** Top-level sections that only the package commands read. */
const PACKAGE_SECTIONS = ["Rain", "Modules", "Packages", "Constants"];

/** Transforms parapet handles itself. */
const HANDLED_TRANSFORMS = new Set(["AWS::Serverless-2016-10-31", "AWS::LanguageExtensions"]);

/** What the transforms that AWS hosts do at deployment, for the message. */
const AWS_TRANSFORMS: Record<string, string> = lookupTable({
  "AWS::Include": "inserts template snippets stored in Amazon S3",
  "AWS::CodeDeployBlueGreen": "creates the task sets and traffic routing of ECS blue/green deployments",
  "AWS::SecretsManager-2020-07-23": "creates the rotation Lambda functions of HostedRotationLambda",
  "AWS::SecretsManager-2024-09-16": "creates the rotation Lambda functions of HostedRotationLambda",
  "AWS::ServiceCatalog": "replaces references to provisioned products with their outputs",
});

/** One part of a template that parapet does not expand. */
export interface PreprocessorNote {
  /** `rain pkg`, or the macro's name. */
  subject: string;
  message: string;
  /** Where it is first used. */
  path: PropertyPath;
}

export interface PreprocessorScan {
  notes: PreprocessorNote[];
  /** The template data with each rain directive replaced by an unknown value. */
  data: Record<string, unknown>;
  /** Resources whose Type is a rain module: not resources parapet can check. */
  moduleResources: Set<string>;
  /** A pre-processor or macro may declare names parapet does not see (registry modules do not: their names start with the module's). */
  hidesNames: boolean;
}

/** Cheap look at the text: could the template use a pre-processor or a macro? */
const HINT = /Rain::|Transform["']?\s*:|!Transform\b|Fn::InsertFile|Fn::Invoke|Fn::Merge|!InsertFile|!Invoke|!Merge|Const::|::MODULE\b|^["']?(Modules|Packages|Constants)["']?\s*:/m;

class Walk {
  readonly directives = new Map<string, PropertyPath>();
  readonly macros = new Map<string, PropertyPath>();
  readonly constants: PropertyPath[] = [];

  /** Records what the fragment uses; returns it with each directive replaced by an unknown. */
  visit(value: unknown, path: PropertyPath): unknown {
    if (typeof value === "string") {
      if (/\$\{(Rain|Const)::/.test(value)) this.constants.push(path);
      return value;
    }
    if (Array.isArray(value)) return this.visitList(value, path);
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const key = keys[0]!;
      if (key.startsWith("Rain::") || PACKAGE_FUNCTIONS.has(key)) {
        if (!this.directives.has(key)) this.directives.set(key, path);
        return new Unknown(`the value is filled in by the package command (${key}), which parapet does not run`);
      }
    }
    // Fn::Transform may sit beside other keys (AWS::Include at the level of Resources).
    if ("Fn::Transform" in value) this.macro(value["Fn::Transform"], [...path, "Fn::Transform"]);
    let out: Record<string, unknown> | undefined;
    for (const key of keys) {
      const v = this.visit(value[key], [...path, key]);
      if (v === value[key]) continue;
      out ??= Object.assign(emptyMap<unknown>(), value);
      out[key] = v;
    }
    return out ?? value;
  }

  private visitList(list: unknown[], path: PropertyPath): unknown[] {
    let out: unknown[] | undefined;
    list.forEach((item, i) => {
      const v = this.visit(item, [...path, i]);
      if (v !== item) (out ??= [...list])[i] = v;
    });
    return out ?? list;
  }

  /** A macro named by `Transform` (a name, `{Name, Parameters}`, or a list of either). */
  macro(spec: unknown, path: PropertyPath): void {
    if (Array.isArray(spec)) return spec.forEach((s, i) => this.macro(s, [...path, i]));
    const name = isRecord(spec) ? spec["Name"] : spec;
    const text = typeof name === "string" ? name : "(a macro named by an intrinsic function)";
    if (!HANDLED_TRANSFORMS.has(text) && !this.macros.has(text)) this.macros.set(text, path);
  }
}

/** Finds rain directives, package sections and macros; one note per pre-processor. */
export function scanPreprocessors(text: string, data: Record<string, unknown>): PreprocessorScan {
  const moduleResources = new Set<string>();
  if (!HINT.test(text)) return { notes: [], data, moduleResources, hidesNames: false };
  const walk = new Walk();
  if (data["Transform"] !== undefined) walk.macro(data["Transform"], ["Transform"]);
  const rewritten = walk.visit(data, []) as Record<string, unknown>;
  const resources = isRecord(data["Resources"]) ? data["Resources"] : {};
  for (const [id, r] of Object.entries(resources)) {
    if (isRecord(r) && isRecord(r["Type"]) && "Rain::Module" in r["Type"]) moduleResources.add(id);
  }
  const sections = PACKAGE_SECTIONS.filter((s) => data[s] !== undefined);
  const notes: PreprocessorNote[] = [];
  const rain = rainNote(walk, sections, moduleResources, text);
  if (rain) notes.push(rain);
  for (const [name, path] of walk.macros) notes.push(macroNote(name, path));
  const hidesNames = notes.length > 0;
  notes.push(...registryModuleNotes(resourceTypes(resources)));
  return { notes, data: rewritten, moduleResources, hidesNames };
}

/** Logical id → `Type`, for the resources whose Type is a string. */
export function resourceTypes(resources: Record<string, unknown>): Record<string, string> {
  const types = emptyMap<string>();
  for (const [id, r] of Object.entries(resources)) if (isRecord(r) && typeof r["Type"] === "string") types[id] = r["Type"];
  return types;
}

/** A directive as the template spells it: the YAML tag (`!Rain::Embed`) where it is written as one, else its key (JSON, or the long form in YAML). */
function spelling(directive: string, text: string): string {
  const tag = Object.keys(PREPROCESSOR_TAGS).find((t) => PREPROCESSOR_TAGS[t] === directive);
  // Tags are letters, `!` and `::`: nothing in them needs escaping in a pattern.
  return tag && new RegExp(`${tag}(?![\\w:])`).test(text) ? tag : directive;
}

function rainNote(walk: Walk, sections: string[], moduleResources: Set<string>, text: string): PreprocessorNote | undefined {
  const directives = [...walk.directives.keys()];
  const used = [
    ...directives.map((d) => spelling(d, text)),
    ...sections.map((s) => `the ${s} section`),
    ...(walk.constants.length > 0 ? ["${Rain::...} or ${Const::...} constants"] : []),
  ];
  if (used.length === 0) return undefined;
  const path = [...walk.directives.values()][0] ?? (sections[0] ? [sections[0]] : walk.constants[0]!);
  const unchecked: string[] = [];
  if (moduleResources.size > 0) {
    const modules = [...moduleResources];
    unchecked.push(modules.length === 1 ? `the resources that the module ${modules[0]} creates` : `the resources that the modules ${listed(modules)} create`);
  }
  if (sections.includes("Modules")) unchecked.push("the resources of the Modules section");
  if (directives.length > 0 || walk.constants.length > 0) unchecked.push("the values the directives and constants insert");
  const command = sections.includes("Modules") ? "rain pkg (or aws cloudformation package)" : "rain pkg";
  return {
    subject: "rain pkg",
    message: `the template needs ${command}, which parapet does not run: it uses ${listed(used)}; not checked: ${listed(unchecked)}. Lint the packaged template to check them`,
    path,
  };
}

function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function macroNote(name: string, path: PropertyPath): PreprocessorNote {
  const does = AWS_TRANSFORMS[name];
  const what = does ? `the transform ${name} ${does} at deployment` : `macro ${name} is expanded at deployment`;
  return { subject: name, message: `${what}; resources it creates or changes are not checked`, path };
}
