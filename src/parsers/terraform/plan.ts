/**
 * Terraform plans in the machine-readable format (`terraform show -json plan.out`), and
 * state files shown the same way (`terraform show -json`).
 *
 * A plan already holds what the HCL evaluator has to work out: every count / for_each
 * instance, every module, every variable applied. Each managed resource of
 * `planned_values` (of `values` for a state) becomes one native resource; the attributes
 * that `resource_changes[].change.after_unknown` marks are unknown ("known only after
 * apply"), and the nulls Terraform writes for arguments that are not set are dropped, so the
 * adapters' defaults apply as they do for HCL.
 *
 * Positions: when the configuration's `.tf` files sit beside the plan (and local modules
 * where `configuration` says they are), a resource points at its block in the `.tf` file;
 * otherwise at its `values` in the plan itself.
 */
import { readdirSync } from "node:fs";
import { readSourceText, TERRAFORM_UTF8 } from "../../source/read.js";
import { dirname, join, resolve } from "node:path";
import type { NativeResource } from "../../graph/mapping.js";
import type { PropertyPath } from "../../source/location.js";
import { displayPath } from "../../source/paths.js";
import { emptyMap, hasKey, isRecord, Unknown, type Resolved, type ResolvedMap, type ResourceRef } from "../../values/value.js";
import { readJsonSource, type Diagnostic } from "../../source/document.js";
import { terraformSource, type TerraformSource } from "./files.js";
import { createLocator } from "./locator.js";

export interface PlanResult {
  resources: NativeResource[];
  /** Every file the resources point at: the plan first, then the `.tf` files read for positions. */
  sources: TerraformSource[];
  diagnostics: Diagnostic[];
}

type JsonObject = Record<string, unknown>;


function objectAt(v: unknown, key: string): JsonObject | undefined {
  if (!isRecord(v) || !hasKey(v, key)) return undefined;
  const x = v[key];
  return isRecord(x) ? x : undefined;
}

function listAt(v: unknown, key: string): unknown[] {
  if (!isRecord(v) || !hasKey(v, key)) return [];
  const x = v[key];
  return Array.isArray(x) ? x : [];
}

function stringAt(v: unknown, key: string): string | undefined {
  if (!isRecord(v) || !hasKey(v, key)) return undefined;
  const x = v[key];
  return typeof x === "string" ? x : undefined;
}

/** Sections a plan or a shown state has next to `format_version`. */
const PLAN_KEYS = ["planned_values", "resource_changes", "configuration", "prior_state", "values", "terraform_version"];

/** True when parsed JSON is a Terraform plan (or state) in the machine-readable format. */
export function isPlanJson(data: unknown): boolean {
  if (!isRecord(data) || typeof data["format_version"] !== "string") return false;
  return PLAN_KEYS.some((k) => hasKey(data, k));
}

/** The major versions of the format this reader understands (Terraform 0.12 wrote 0.x). */
const SUPPORTED_MAJOR = new Set(["0", "1"]);

/**
 * Splits an address into its form without instance keys and the keys:
 * `module.web[1].aws_instance.this["a"]` → `module.web.aws_instance.this`, `[1]`, `["a"]`.
 */
export function splitInstanceKeys(address: string): { base: string; keys: string[] } {
  let base = "";
  const keys: string[] = [];
  let i = 0;
  while (i < address.length) {
    if (address[i] !== "[") {
      base += address[i];
      i++;
      continue;
    }
    const start = i++;
    let quoted = false;
    for (; i < address.length; i++) {
      const c = address[i];
      if (quoted) {
        if (c === "\\") i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === "]") break;
    }
    keys.push(address.slice(start, i + 1));
    i++;
  }
  return { base, keys };
}

/** Module call names along an address without keys: `module.a.module.b.aws_x.y` → `a`, `b`. */
function moduleNames(base: string): string[] {
  const parts = base.split(".");
  const names: string[] = [];
  for (let i = 0; i + 1 < parts.length && parts[i] === "module"; i += 2) names.push(parts[i + 1]!);
  return names;
}

function modulePrefix(names: readonly string[]): string {
  return names.map((n) => `module.${n}.`).join("");
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `ingress[0].cidr_blocks`, `tags["kubernetes.io/role"]`. */
function attributePathText(path: PropertyPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (IDENTIFIER.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Namespaces of references that do not name a managed resource of the same module. */
const NOT_RESOURCES = new Set(["var", "local", "module", "data", "count", "each", "path", "terraform", "self"]);

/**
 * The configuration's expressions (`configuration.*.resources[].expressions`) by resource
 * address without keys; they tell which resource an unknown value comes from.
 */
function configuredExpressions(configuration: JsonObject | undefined): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  const walk = (module: JsonObject | undefined, prefix: string, depth: number) => {
    if (!module || depth > 64) return;
    for (const r of listAt(module, "resources")) {
      if (!isRecord(r) || (stringAt(r, "mode") ?? "managed") !== "managed") continue;
      const expressions = objectAt(r, "expressions");
      const type = stringAt(r, "type");
      const name = stringAt(r, "name");
      const address = stringAt(r, "address") ?? (type && name ? `${type}.${name}` : undefined);
      if (expressions && address) out.set(prefix + address, expressions);
    }
    const calls = objectAt(module, "module_calls");
    for (const [name, call] of Object.entries(calls ?? {})) walk(objectAt(call, "module"), `${prefix}module.${name}.`, depth + 1);
  };
  walk(objectAt(configuration, "root_module"), "", 0);
  return out;
}

function isExpression(v: unknown): boolean {
  return isRecord(v) && (Array.isArray(v["references"]) || hasKey(v, "constant_value"));
}

/** The resource an unknown value at `path` refers to, from the expression written there. */
function referenceAt(expressions: JsonObject | undefined, path: PropertyPath, prefix: string): ResourceRef | undefined {
  let cur: unknown = expressions;
  for (const part of path) {
    if (isExpression(cur)) break;
    if (typeof part === "number" && Array.isArray(cur)) cur = cur[part];
    else if (typeof part === "string" && isRecord(cur) && hasKey(cur, part)) cur = cur[part];
    else return undefined;
  }
  if (!isRecord(cur) || !Array.isArray(cur["references"])) return undefined;
  for (const reference of cur["references"]) {
    if (typeof reference !== "string") continue;
    const m = /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?/.exec(reference);
    if (!m || NOT_RESOURCES.has(m[1]!)) continue;
    const target = `${prefix}${m[1]}.${m[2]}`;
    return m[3] ? { target, attribute: m[3] } : { target };
  }
  return undefined;
}

/**
 * A plan value as a resolved value: paths that `mask` (after_unknown) marks true become
 * unknowns, and nulls and empty strings in objects (arguments that are not set) are left out. List items keep
 * their places, so indexes still match the plan and the configuration.
 */
function toResolved(value: unknown, mask: unknown, path: (string | number)[], unknownAt: (path: PropertyPath) => Unknown): Resolved | undefined {
  if (mask === true) return unknownAt(path);
  if (value === null || value === undefined) return value === null ? null : undefined;
  if (Array.isArray(value)) {
    const masks = Array.isArray(mask) ? mask : [];
    const out: Resolved[] = [];
    for (let i = 0; i < Math.max(value.length, masks.length); i++) {
      out.push(toResolved(value[i], masks[i], [...path, i], unknownAt) ?? null);
    }
    return out;
  }
  if (isRecord(value)) {
    const masks = isRecord(mask) ? mask : undefined;
    const out = emptyMap();
    for (const key of Object.keys(value)) {
      const v = toResolved(value[key], masks && hasKey(masks, key) ? masks[key] : undefined, [...path, key], unknownAt);
      // The provider reads null and "" in an optional argument as "not set", as in .tf files.
      if (v !== undefined && v !== null && v !== "") out[key] = v;
    }
    // Terraform leaves unknown attributes out of `values`: they exist only in the mask.
    for (const key of Object.keys(masks ?? {})) {
      if (!hasKey(out, key) && masks![key] === true) out[key] = unknownAt([...path, key]);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return undefined;
}

/** One managed resource instance found in the planned values. */
interface PlannedInstance {
  address: string;
  base: string;
  keys: string[];
  type: string;
  values: unknown;
  /** JSON path of `values` in the plan. */
  valuesPath: PropertyPath;
}

/** Managed resources of a module and of its child modules, depth first, in document order. */
function collectInstances(module: unknown, path: PropertyPath, out: PlannedInstance[], depth = 0): void {
  if (!isRecord(module) || depth > 64) return;
  listAt(module, "resources").forEach((r, i) => {
    if (!isRecord(r)) return;
    const type = stringAt(r, "type");
    const name = stringAt(r, "name");
    if (!type || !name) return;
    const address = stringAt(r, "address") ?? `${stringAt(module, "address") ? stringAt(module, "address") + "." : ""}${type}.${name}`;
    const { base, keys } = splitInstanceKeys(address);
    const lastParts = base.split(".").slice(-3);
    const mode = stringAt(r, "mode") ?? (lastParts[0] === "data" ? "data" : "managed");
    if (mode !== "managed") return;
    out.push({ address, base, keys, type, values: hasKey(r, "values") ? r["values"] : undefined, valuesPath: [...path, "resources", i, "values"] });
  });
  listAt(module, "child_modules").forEach((child, i) => collectInstances(child, [...path, "child_modules", i], out, depth + 1));
}

/** The change of each instance by its full address (deposed objects left out). */
function changesByAddress(data: JsonObject): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const rc of listAt(data, "resource_changes")) {
    if (!isRecord(rc) || hasKey(rc, "deposed")) continue;
    const address = stringAt(rc, "address");
    const change = objectAt(rc, "change");
    if (address && change && !out.has(address)) out.set(address, change);
  }
  return out;
}

/** Actions after which the resource no longer exists (or is no longer managed). */
const GOING_AWAY = new Set(["delete", "forget"]);

function isGoingAway(change: JsonObject | undefined): boolean {
  const actions = listAt(change, "actions");
  return actions.length > 0 && actions.every((a) => typeof a === "string" && GOING_AWAY.has(a));
}

/** The `.tf` files of module folders, indexed by the resource blocks they declare. */
class ConfigurationFiles {
  private readonly folders = new Map<string, Map<string, string[]>>();
  private readonly opened = new Map<string, TerraformSource>();
  readonly sources: TerraformSource[] = [];

  constructor(private readonly cwd: string) {}

  /** The file of `dir` that declares `resource "<type>" "<name>"`, with its block there. */
  declaring(dir: string, type: string, name: string): TerraformSource | undefined {
    const candidates = this.index(dir).get(`${type}\u0000${name}`) ?? [];
    for (const file of candidates) {
      const source = this.open(file);
      // The header may sit inside a comment or a heredoc: trust the locator.
      if (source?.locate(["resource", type, name, 0])) return source;
    }
    return undefined;
  }

  private index(dir: string): Map<string, string[]> {
    let index = this.folders.get(dir);
    if (index) return index;
    index = new Map();
    this.folders.set(dir, index);
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".tf")).sort();
    } catch {
      return index;
    }
    const header = /^[ \t]*resource[ \t]+("?)([A-Za-z_][\w-]*)\1[ \t]+("?)([A-Za-z_][\w-]*)\3[ \t]*\{/gm;
    for (const name of names) {
      const file = join(dir, name);
      const text = this.read(file);
      if (text === undefined) continue;
      for (const m of text.matchAll(header)) {
        const key = `${m[2]}\u0000${m[4]}`;
        const files = index.get(key) ?? [];
        if (!files.includes(file)) files.push(file);
        index.set(key, files);
      }
    }
    return index;
  }

  private readonly texts = new Map<string, string | undefined>();

  private read(file: string): string | undefined {
    if (!this.texts.has(file)) {
      let text: string | undefined;
      try {
        text = readSourceText(file, TERRAFORM_UTF8);
      } catch {
        text = undefined;
      }
      this.texts.set(file, text);
    }
    return this.texts.get(file);
  }

  private open(file: string): TerraformSource | undefined {
    const cached = this.opened.get(file);
    if (cached) return cached;
    const text = this.read(file);
    if (text === undefined) return undefined;
    const locator = createLocator(text);
    const source = terraformSource(displayPath(this.cwd, file), file, text, (p) => locator.locate(p));
    this.opened.set(file, source);
    this.sources.push(source);
    return source;
  }
}

/** The folder of the module at `names`, when every call on the way has a local source. */
function moduleFolder(planDir: string, configuration: JsonObject | undefined, names: readonly string[]): string | undefined {
  let dir = planDir;
  let module = objectAt(configuration, "root_module");
  for (const name of names) {
    const call = objectAt(objectAt(module, "module_calls"), name);
    const source = stringAt(call, "source");
    if (!source || !(source.startsWith("./") || source.startsWith("../"))) return undefined;
    dir = resolve(dir, source);
    module = objectAt(call, "module");
  }
  return dir;
}

/**
 * Blocks generated by a `dynamic` block are not written where the plan lists them: point
 * them at the dynamic block's content (when the block type is written only that way).
 */
function aliasDynamicBlocks(source: TerraformSource, blockPath: PropertyPath, body: ResolvedMap): void {
  for (const [key, value] of Object.entries(body)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    if (source.locate([...blockPath, key, 0]) || !source.locate([...blockPath, "dynamic", key, 0])) continue;
    value.forEach((_, i) => source.alias([...blockPath, key, i], [...blockPath, "dynamic", key, 0, "content", 0]));
  }
}

/** planFile: display path; absolutePath; text; cwd for display paths of .tf files. */
/**
 * The provider fills some arguments in at apply time (an instance's `root_block_device`, a
 * group's `egress`), and a plan marks them unknown although the configuration never wrote
 * them. An argument the configuration does not write (and no dynamic block makes) is left
 * out, as in the `.tf` source, so that plans and HCL give the same findings.
 */
function dropComputedArguments(body: ResolvedMap, expressions: JsonObject, declared: TerraformSource | undefined): void {
  for (const key of Object.keys(body)) {
    if (!(body[key] instanceof Unknown) || hasKey(expressions, key)) continue;
    const dynamic = new RegExp(`dynamic\\s+"?${key.replace(/[^A-Za-z0-9_]/g, "")}"?\\s*\\{`);
    if (declared ? dynamic.test(declared.text) : false) continue;
    delete body[key];
  }
}

/** The first instance of each address, which has no instance key: index 0 when there is one, else the first listed. */
function firstInstances(kept: PlannedInstance[]): Map<string, PlannedInstance> {
  const firstOf = new Map<string, PlannedInstance>();
  for (const inst of kept) {
    const current = firstOf.get(inst.base);
    const isZero = inst.keys.length > 0 && inst.keys.every((k) => k === "[0]");
    if (!current || (isZero && !current.keys.every((k) => k === "[0]"))) firstOf.set(inst.base, inst);
  }
  return firstOf;
}

/** An instance's planned values, with what the change marks unknown after apply as unknowns (a RangeError when they nest too deeply). */
function plannedBody(inst: PlannedInstance, change: JsonObject | undefined, unknownAt: (path: PropertyPath) => Unknown): ResolvedMap {
  const mask = change && hasKey(change, "after_unknown") ? change["after_unknown"] : undefined;
  const resolved = toResolved(isRecord(inst.values) ? inst.values : emptyMap<unknown>(), mask === true ? undefined : mask, [], unknownAt);
  return resolved !== undefined && resolved !== null && typeof resolved === "object" && !Array.isArray(resolved) && !(resolved instanceof Unknown) ? resolved : emptyMap();
}

/** The JSON of a plan or shown state in a format_version parapet reads; else undefined, with a diagnostic that says why. */
function supportedPlan(data: unknown, diagnostics: Diagnostic[], where: (path: PropertyPath) => { line: number; column: number }): JsonObject | undefined {
  if (!isPlanJson(data) || !isRecord(data)) {
    diagnostics.push({ message: "not a Terraform plan or state in JSON format (terraform show -json)", line: 1, column: 1 });
    return undefined;
  }
  const version = data["format_version"] as string;
  if (!SUPPORTED_MAJOR.has(version.split(".")[0]!)) {
    diagnostics.push({ message: `unsupported Terraform JSON format_version ${version} (parapet reads 0.x and 1.x)`, ...where(["format_version"]) });
    return undefined;
  }
  return data;
}

export function readPlan(planFile: string, absolutePath: string, text: string, cwd: string): PlanResult {
  const parsed = readJsonSource(planFile, absolutePath, text);
  const planSource = terraformSource(planFile, absolutePath, parsed.file.text, (p) => parsed.file.locate(p));
  const result: PlanResult = { resources: [], sources: [planSource], diagnostics: [...parsed.diagnostics] };
  if (parsed.data === undefined) return result;
  const where = (path: PropertyPath) => {
    const at = planSource.locate(path);
    return at ? { line: at.line, column: at.column } : { line: 1, column: 1 };
  };
  const data = supportedPlan(parsed.data, result.diagnostics, where);
  if (!data) return result;

  // A plan lists what will exist in planned_values; a shown state lists what exists in values.
  const section = hasKey(data, "planned_values") ? "planned_values" : "values";
  const instances: PlannedInstance[] = [];
  collectInstances(objectAt(objectAt(data, section), "root_module"), [section, "root_module"], instances);

  const changes = changesByAddress(data);
  const configuration = objectAt(data, "configuration");
  const expressions = configuredExpressions(configuration);
  const files = new ConfigurationFiles(cwd);
  const planDir = dirname(absolutePath);
  const folders = new Map<string, string | undefined>();

  const kept = instances.filter((inst) => !isGoingAway(changes.get(inst.address)));
  const firstOf = firstInstances(kept);
  const seen = new Set<string>();

  for (const inst of kept) {
    const change = changes.get(inst.address);
    const names = moduleNames(inst.base);
    const prefix = modulePrefix(names);
    const ownExpressions = expressions.get(inst.base);
    const unknownAt = (path: PropertyPath) => {
      const ref = referenceAt(ownExpressions, path, prefix);
      return new Unknown(`${inst.address}.${attributePathText(path)} is known only after apply`, ref ? { ref } : {});
    };
    let body: ResolvedMap;
    try {
      body = plannedBody(inst, change, unknownAt);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      result.diagnostics.push({ message: `${inst.address}: the values are nested too deeply to read`, ...where(inst.valuesPath) });
      continue;
    }

    // Where the resource is written: its block in a .tf file beside the plan, else its values in the plan.
    const folderKey = names.join("\u0000");
    if (!folders.has(folderKey)) folders.set(folderKey, moduleFolder(planDir, configuration, names));
    const folder = folders.get(folderKey);
    const resourceName = inst.base.slice(inst.base.lastIndexOf(".") + 1);
    const declared = folder === undefined ? undefined : files.declaring(folder, inst.type, resourceName);
    const blockPath: PropertyPath = ["resource", inst.type, resourceName, 0];
    if (declared) aliasDynamicBlocks(declared, blockPath, body);
    if (ownExpressions) dropComputedArguments(body, ownExpressions, declared);

    let instance = firstOf.get(inst.base) === inst ? "" : inst.keys.join("");
    // Two entries with one address (a malformed plan) must not share a node id.
    if (seen.has(inst.base + instance)) instance = `${instance}#${result.resources.length}`;
    seen.add(inst.base + instance);

    result.resources.push({
      format: "terraform",
      scope: planFile,
      address: inst.base,
      nativeType: inst.type,
      body,
      resourcePath: declared ? blockPath : inst.valuesPath,
      bodyPath: declared ? blockPath : inst.valuesPath,
      source: declared ?? planSource,
      instance,
      ...(inst.keys.length > 0 ? { instanceAddress: inst.address } : {}),
    });
  }
  result.sources.push(...files.sources);
  return result;
}
