/**
 * Terraform modules as Terraform sees them: a folder of files is one module; a root module
 * is evaluated with its variables (in Terraform's precedence order), locals, resources with
 * count / for_each, dynamic blocks, and the modules it calls, recursively.
 *
 * Evaluation is three-valued: what cannot be known before apply is an Unknown with a reason
 * that names the variable or expression.
 */
import { existsSync } from "node:fs";
import { displayPath } from "../../source/paths.js";
import { relative, resolve, sep } from "node:path";
import type { NativeResource } from "../../graph/mapping.js";
import { isInside, isInsideResolved } from "../../source/paths.js";
import type { PropertyPath } from "../../source/location.js";
import { ABSENT, emptyMap, followPath, getPath, hasKey, isMap, possibleValues, Unknown, type Resolved, type ResolvedMap, isRecord } from "../../values/value.js";
import { evaluateValue, renderTemplateText, type ConfigurationFile, type ExpressionScope } from "./expressions.js";
import { readConfigurationFile } from "./configuration-files.js";
import { declaredValue, unsetVariable } from "./variables.js";
import { type TerraformSource } from "./files.js";
import { findModel, type ModuleModel } from "./models.js";
import { DNS_SUFFIXES, PARTITIONS, REVERSE_DNS_PREFIXES } from "../aws-partitions.js";
import { afterApply, plannedData } from "./attribute-shapes.js";
import { POLICY_DOCUMENT_ATTRIBUTES, policyDocumentAttributes, POLICY_DOCUMENT_TYPE } from "./policy-document.js";
import { activeLimits } from "../../limits/budget.js";
import { FIXED_CAPS, fixedCap } from "../../limits/evaluation.js";
import { bareWordReason } from "./bare-words.js";
import { type Bindings, type BlockInstance, cappedEach, collectionEntries, countNumber, countedInstance, isInstanceKey, onceForAll, possibleCountInstances, possibleForEachInstances, tooManyInstances, unknownEach, unknownForEachPresence, unknownIndex } from "./instances.js";
import { type BlockRef, type ModuleDefinition, type TerraformContext, atCallSite, callsInDependencyOrder, installedModules, isFolder, loadDefinition } from "./module-definition.js";

/** Arguments of a resource block that are about Terraform, not the resource. */
const META_ARGUMENTS = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"]);
/** Arguments of a module block that are not inputs. */
export const MODULE_META = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);
/** How deep module calls may nest (against a module that calls itself). */
const MAX_MODULE_DEPTH = 16;
/** How often a root is evaluated again to render the template files its first evaluation met. */
const TEMPLATE_ROUNDS = 2;

/** The instances of one module call: each by its key, or a single instance standing for all of them. */
interface ModuleCall {
  instances: Map<string, ModuleInstance>;
  /** True when the call is expanded: each instance is read as `module.NAME[KEY]`. */
  expanded: boolean;
  /** True when the call has `count` or `for_each`, expanded or not. */
  repeated: boolean;
  /** True when the instances are numbered by `count` (else keyed by `for_each`). */
  counted: boolean;
}

/** One instance of a module: the root, or a module call. */
export class ModuleInstance {
  private readonly variableValues = new Map<string, Resolved>();
  private readonly localValues = new Map<string, Resolved>();
  private readonly inProgress = new Set<string>();
  private readonly children = new Map<string, ModuleCall | Unknown>();

  constructor(
    readonly def: ModuleDefinition,
    /** `""` for the root, `module.web.` for a call. */
    readonly prefix: string,
    /** Variable values: from the call (children) or from tfvars and the command line (root). */
    private readonly inputs: Map<string, Resolved>,
    /** Scope of the graph the resources belong to (the root module's folder). */
    readonly scope: string,
    private readonly ctx: TerraformContext,
    private readonly rootDir: string,
    /** Module keys from the root (`web`, `web.db`) for `.terraform/modules`. */
    private readonly keyPath: string[] = [],
    /** Set when the module call that made this instance may not create it (an unknown `count`). */
    private readonly presence?: Unknown,
  ) {}

  private guard<T extends Resolved>(id: string, compute: () => T): Resolved {
    if (this.inProgress.has(id)) return new Unknown(`${id} refers to itself`);
    this.inProgress.add(id);
    try {
      return compute();
    } finally {
      this.inProgress.delete(id);
    }
  }

  private evaluate(value: unknown, bindings: Bindings = new Map()): Resolved {
    return evaluateValue(value, this.scopeWith(bindings), this.ctx.cache);
  }

  private scopeWith(bindings: Bindings): ExpressionScope {
    return { reference: (parts) => this.reference(parts, bindings), readFile: (path) => this.readFile(path) };
  }

  private readFile(path: string): ConfigurationFile | Unknown {
    this.ctx.files ??= new Map();
    return readConfigurationFile(path, { cwd: this.ctx.cwd, boundary: this.ctx.boundary, rootDir: this.rootDir, read: this.ctx.files });
  }

  /** `path.module`: this module's folder relative to the root module's (`.` for the root), as Terraform writes it. */
  private modulePath(): string {
    const rel = relative(this.rootDir, this.def.dir);
    return rel === "" ? "." : rel.split(sep).join("/");
  }

  variable(name: string): Resolved {
    const cached = this.variableValues.get(name);
    if (cached !== undefined) return cached;
    const decl = this.def.variables.get(name);
    let value: Resolved;
    if (!decl && this.prefix === "" && this.inputs.has(name)) {
      // A value given for an undeclared variable (tfvars, --var, TF_VAR_): the author's intent is plain, so it is used.
      this.note(`${this.scope}: var.${name} is used but not declared (Terraform rejects that); parapet read it with the value given for it`);
      value = this.inputs.get(name)!;
    } else if (!decl) value = new Unknown(`var.${name} is not declared in ${this.describe()}`, { ref: { target: `var.${name}`, undeclared: true } });
    else if (this.inputs.has(name)) value = declaredValue(this.nullGivenTakesDefault(name, decl.body, this.inputs.get(name)!), decl.body, this.ctx.cache);
    else if (hasKey(decl.body, "default")) value = declaredValue(this.guard(`var.${name}`, () => this.evaluate(decl.body["default"])), decl.body, this.ctx.cache);
    else value = unsetVariable(name, decl.body, this.ctx.cache);
    if (value === null && decl && hasKey(decl.body, "default") && decl.body["default"] === null) value = ABSENT;
    this.variableValues.set(name, value);
    return value;
  }

  /**
   * A variable declared `nullable = false` that is given `null` takes its default, as in
   * Terraform (a module call often forwards an `optional()` attribute that was left out).
   */
  private nullGivenTakesDefault(name: string, body: Record<string, unknown>, given: Resolved): Resolved {
    if (body["nullable"] !== false || !hasKey(body, "default")) return given;
    const fallback = () => this.guard(`var.${name}`, () => this.evaluate(body["default"]));
    if (given === null) return fallback();
    if (given instanceof Unknown && given.possible?.includes(null)) {
      return possibleValues(given.possible.map((p) => (p === null ? fallback() : p)), given.reason);
    }
    return given;
  }

  local(name: string): Resolved {
    const cached = this.localValues.get(name);
    if (cached !== undefined) return cached;
    const decl = this.def.locals.get(name);
    if (!decl) return new Unknown(`local.${name} is not declared in ${this.describe()}`);
    const value = this.guard(`local.${name}`, () => this.evaluate(decl.value));
    if (!this.inProgress.has(`local.${name}`)) this.localValues.set(name, value);
    return value;
  }

  private describe(): string {
    return this.prefix ? this.prefix.replace(/\.$/, "") : "the root module";
  }

  private reference(parts: (string | number)[], bindings: Bindings): Resolved {
    const [root, ...rest] = parts.map(String);
    const restParts = parts.slice(1);
    if (root === undefined) return new Unknown("empty reference");
    if (bindings.has(root)) return followPath(bindings.get(root)!, restParts.map(String));
    switch (root) {
      case "var":
        return rest[0] === undefined ? new Unknown("var") : followPath(this.variable(rest[0]), rest.slice(1));
      case "local":
        return rest[0] === undefined ? new Unknown("local") : followPath(this.local(rest[0]), rest.slice(1));
      // Instances bind count and each; here no instance is named (a reference without a key).
      case "count":
        return new Unknown("count.index has no value outside an instance of a block with count");
      case "each":
        return new Unknown(`each.${rest[0] ?? "value"} has no value outside an instance of a block with for_each`);
      case "path":
        return rest[0] === "module" ? this.modulePath() : rest[0] === "root" || rest[0] === "cwd" ? "." : new Unknown(`path.${rest[0] ?? ""}`);
      case "terraform":
        return new Unknown(`terraform.${rest[0] ?? ""} is known only when Terraform runs`);
      case "data":
        return this.dataReference(rest);
      case "module":
        return rest[0] === undefined ? new Unknown("module") : this.moduleOutput(rest[0], rest.slice(1));
      case "self":
        return new Unknown("self is known only when Terraform applies");
      default:
        // A word alone (`False`, `None`, `yes`) is no reference: a resource needs TYPE.NAME.
        if (restParts.length === 0) return new Unknown(bareWordReason(root), { ref: { target: root, undeclared: true } });
        return this.resourceReference(root, restParts);
    }
  }

  /** `module.web.out`, `module.web[0].out`, `module.web["a"].out`, or the whole `module.web`. */
  private moduleOutput(name: string, rest: string[]): Resolved {
    const call = this.children.get(name) ?? new Unknown(this.def.modules.has(name) ? `module.${name} and the module calls it uses refer to each other` : `module.${name} is not declared in ${this.describe()}`);
    if (call instanceof Unknown) return call;
    if (call.expanded) {
      if (rest[0] === undefined) {
        // The whole `module.web`: a list of output objects (count) or a map of them by key (for_each).
        const all = [...call.instances].map(([key, child]) => [key, child.outputValue([])] as const);
        return call.counted ? all.map(([, v]) => v) : Object.assign(emptyMap(), Object.fromEntries(all));
      }
      const child = call.instances.get(rest[0]);
      return child ? child.outputValue(rest.slice(1)) : new Unknown(`module.${name} has no instance ${JSON.stringify(rest[0])}`);
    }
    const child = [...call.instances.values()][0]!;
    // `module.web[0].out` of a call evaluated once: the instance key is skipped.
    const skipKey = call.repeated && rest[0] !== undefined && !child.def.outputs.has(rest[0]);
    return child.outputValue(skipKey ? rest.slice(1) : rest);
  }

  /** The value of `OUTPUT.path...` of this module instance, or an object of all outputs. */
  private outputValue(rest: string[]): Resolved {
    if (rest[0] === undefined) {
      const all = emptyMap();
      for (const name of this.def.outputs.keys()) all[name] = this.outputValue([name]);
      return all;
    }
    const output = this.def.outputs.get(rest[0]);
    if (!output) return new Unknown(`${this.describe()} has no output ${rest[0]}`);
    const value = this.guard(`output.${rest[0]}`, () => this.evaluate(output.body["value"]));
    return followPath(value, rest.slice(1));
  }

  /**
   * `data.TYPE.NAME[KEY].ATTR`: data sources are read when Terraform plans, except those that
   * are pure functions of their arguments (`aws_iam_policy_document`), which are computed.
   */
  private dataReference(rest: string[]): Resolved {
    const [type, name] = rest;
    const address = `${this.prefix}data.${type ?? ""}.${name ?? ""}`;
    const block = type === POLICY_DOCUMENT_TYPE && name !== undefined ? this.def.data.get(`${type}.${name}`) : undefined;
    const readWhenPlanned = `data.${rest.slice(0, 2).join(".")} is read when Terraform plans`;
    if (type === PARTITION_TYPE && this.def.data.has(`${type}.${name ?? ""}`)) return partitionAttribute(rest.slice(2), readWhenPlanned);
    const templateFile = type === TEMPLATE_FILE_TYPE ? this.def.data.get(`${type}.${name ?? ""}`) : undefined;
    if (templateFile) return this.renderedTemplateFile(templateFile, address, rest);
    if (!block) return plannedData(rest);
    const instances = this.instances(block.body, address);
    if (!instances) return new Unknown(`${address} has no instances`);
    // `data.x.y[0].json`, `data.x.y["a"].json`: the instance named (one instance stands for all when not expanded).
    const keyed = (hasKey(block.body, "count") || hasKey(block.body, "for_each")) && rest[2] !== undefined && !POLICY_DOCUMENT_ATTRIBUTES.has(rest[2]);
    const instance = keyed && instances[0]!.id !== undefined ? instances.find((i) => i.id === rest[2]) : instances[0];
    if (!instance) return new Unknown(`${address} has no instance ${JSON.stringify(rest[2])}`);
    const attrAt = keyed ? 3 : 2;
    const id = `${address}${instance.key}`;
    const body = this.guard(id, () => this.evaluateBody(block.body, instance.bindings, block.path, block.file.source, true));
    if (body instanceof Unknown) return body;
    return getPath(policyDocumentAttributes(body as ResolvedMap, id), rest.slice(attrAt));
  }

  /**
   * `data.template_file.NAME.rendered` (the older template provider): its `template` text
   * rendered with its `vars`, as templatefile() renders a file. A counted block, or another
   * attribute, is read when Terraform plans.
   */
  private renderedTemplateFile(block: BlockRef, address: string, rest: string[]): Resolved {
    if (hasKey(block.body, "count") || hasKey(block.body, "for_each") || rest[2] !== "rendered") return plannedData(rest);
    const template = this.guard(`${address}.template`, () => this.evaluate(block.body["template"]));
    const given = hasKey(block.body, "vars") ? this.guard(`${address}.vars`, () => this.evaluate(block.body["vars"])) : emptyMap();
    // Terraform 0.11 wrote `vars { ... }` as a block, which reads as a list of one map.
    const vars = Array.isArray(given) && given.every(isMap) ? Object.assign(emptyMap(), ...given) : given;
    if (template instanceof Unknown) return new Unknown(`${address}.rendered cannot be known: ${template.reason}`);
    if (typeof template !== "string") return new Unknown(`${address}: its template is not text`);
    return renderTemplateText(template, `${address}.template`, vars, this.scopeWith(new Map()), this.ctx.cache);
  }

  /**
   * `aws_instance.web.id`, `aws_instance.web[0].name`: an argument the configuration sets, as
   * that instance evaluates it; else a reference to the instance's node. An argument set to
   * null (or "") is one the provider fills in, often computed (`name` from `name_prefix`), so
   * it is a reference too, never a null that would read as "not set".
   */
  private resourceReference(type: string, parts: (string | number)[]): Resolved {
    const name = parts[0] === undefined ? undefined : String(parts[0]);
    const target = this.def.resources.find((r) => r.type === type && r.name === name);
    const address = `${this.prefix}${type}.${name ?? ""}`;
    if (name === undefined || !target) {
      return new Unknown(`${type}.${name ?? ""} is not declared in ${this.describe()}`, { ref: { target: address, undeclared: true } });
    }
    const keyed = parts.length > 1 && isInstanceKey(parts[1]!, target.block.body);
    const instance = keyed ? this.referencedInstance(target.block.body, address, parts[1]!) : undefined;
    const i = keyed ? 2 : 1;
    const attribute = parts[i] === undefined ? undefined : String(parts[i]);
    const named = `${address}${instance?.key ?? ""}`;
    if (attribute !== undefined && hasKey(target.block.body, attribute) && !META_ARGUMENTS.has(attribute)) {
      const value = this.guard(`${named}.${attribute}`, () => this.evaluate(target.block.body[attribute], instance?.bindings));
      if (value !== ABSENT && value !== null && value !== "") return getPath(value, parts.slice(i + 1).map(String));
    }
    const nodeAddress = instance?.nodeAddress ?? address;
    const ref = attribute === undefined ? { target: nodeAddress } : { target: nodeAddress, attribute };
    return afterApply(`${named}${attribute ? "." + attribute : ""} is known only after apply`, ref, type, parts, i);
  }

  /**
   * The instance `[KEY]` of a counted or for_each resource, with the address of its node
   * (the first instance's node keeps the plain address: see {@link resources}). Undefined
   * when the instances cannot be told apart or the key is not one of them.
   */
  private referencedInstance(body: Record<string, unknown>, address: string, key: string | number): (BlockInstance & { nodeAddress: string }) | undefined {
    const instances = this.instances(body, address) ?? [];
    // Instances evaluated once for all: the one evaluation stands for the instance named.
    if (instances.length === 1 && instances[0]!.id === undefined && instances[0]!.bindings.size > 0) return { ...instances[0]!, nodeAddress: address };
    const index = instances.findIndex((candidate) => candidate.id !== undefined && candidate.id === String(key));
    if (index < 0) return undefined;
    const instance = instances[index]!;
    return { ...instance, nodeAddress: index > 0 ? address + instance.key : address };
  }

  /**
   * Reads the modules this instance calls (recursively): local folders and `terraform init`
   * downloads. The root then renders the template files its modules read.
   */
  async loadChildren(depth = 0): Promise<void> {
    await this.loadCalls(depth, true);
    if (depth === 0) await this.renderTemplateFiles();
  }

  /**
   * templatefile() needs the syntax tree of the template, which the HCL parser gives
   * asynchronously while evaluation is synchronous: a first evaluation meets the templates,
   * they are parsed, and the module is evaluated again from its calls on.
   */
  private async renderTemplateFiles(): Promise<void> {
    for (let round = 0; round < TEMPLATE_ROUNDS && this.readsTemplates(); round++) {
      this.resources();
      if (!(await this.ctx.cache.preparePending())) return;
      this.variableValues.clear();
      this.localValues.clear();
      await this.loadCalls(0, false);
    }
  }

  private readsTemplates(): boolean {
    return this.definitions().some((d) => d.files.some((f) => f.source.text.includes("templatefile") || f.source.text.includes(TEMPLATE_FILE_TYPE)));
  }

  private async loadCalls(depth: number, check: boolean): Promise<void> {
    const installed = installedModules(this.rootDir, this.ctx);
    for (const [name, call] of callsInDependencyOrder(this.def.modules)) {
      const source = this.evaluate(call.body["source"]);
      const label = `module.${name}`;
      const where = `${this.prefix}${label}`;
      if (typeof source !== "string") {
        this.children.set(name, new Unknown(`${where} has a source parapet cannot read`));
        continue;
      }
      if (check) this.checkCallSyntax(name, call);
      const keyPath = [...this.keyPath, name];
      let dir: string | undefined;
      if (source.startsWith("./") || source.startsWith("../")) {
        dir = resolve(this.def.dir, source);
        if (!isInside(this.ctx.boundary, dir)) {
          this.note(`${where} (${source}) is outside the scanned folder and was not read`);
          this.children.set(name, new Unknown(`${where} comes from outside the scanned folder`));
          continue;
        }
      } else {
        dir = installed.get(keyPath.join("."));
        // Where terraform init put it, as recorded: a folder outside the scan is not read either.
        if (dir !== undefined && existsSync(dir) && !isInsideResolved(this.ctx.boundary, dir)) {
          this.note(`${where} (${source}) is outside the scanned folder and was not read: .terraform/modules/modules.json records it in ${displayPath(this.ctx.cwd, dir)}`);
          this.children.set(name, new Unknown(`${where} comes from outside the scanned folder`));
          continue;
        }
      }
      let model: ModuleModel | undefined;
      if (!dir || !existsSync(dir)) {
        const version = this.evaluate(call.body["version"]);
        model = findModel(source, version);
        if (!model && isFolder(resolve(this.def.dir, source))) {
          this.note(`${where} (${source}) is read by Terraform as a registry address, not as the folder beside it: a local module source must start with ./ or ../ (write ./${source}); not scanned`);
          this.children.set(name, new Unknown(`${where} (${source}) is a registry address to Terraform; the local folder needs ./${source}`));
          continue;
        }
        if (!model) {
          this.note(`${where} (${source}) was not scanned: it is not in this repository and not downloaded (run terraform init)`);
          const named = typeof version === "string" ? `${source} ${version}` : source;
          this.children.set(name, new Unknown(`${where} (${named}) is not downloaded: run terraform init to check its values`));
          continue;
        }
        this.note(`${where} (${source}) is not downloaded: parapet evaluated its model of ${model.describes}`);
        dir = model.dir;
      }
      if (depth >= MAX_MODULE_DEPTH) {
        // The modules below are not read: a limit finding at the call fails the run.
        if (check) this.tooDeep(where, call);
        this.children.set(name, new Unknown(`${where} nests too deep`));
        continue;
      }
      const instances = this.instances(call.body, where);
      const repeated = hasKey(call.body, "count") || hasKey(call.body, "for_each");
      const made: ModuleCall = { instances: new Map(), expanded: !instances || instances[0]?.id !== undefined, repeated, counted: hasKey(call.body, "count") };
      this.children.set(name, made);
      if (!instances) continue; // count 0 or an empty for_each: nothing is created, `module.NAME` is empty
      const loaded = await loadDefinition(dir, this.ctx);
      const def = model ? atCallSite(loaded, call) : loaded;
      for (const instance of instances) {
        const inputs = new Map<string, Resolved>();
        for (const [arg, raw] of Object.entries(call.body)) {
          if (MODULE_META.has(arg)) continue;
          inputs.set(arg, this.guard(`${where}${instance.key}.${arg}`, () => this.evaluate(raw, instance.bindings)));
        }
        const presence = instance.presence ?? this.presence;
        const child = new ModuleInstance(def, `${where}${instance.key}.`, inputs, this.scope, this.ctx, this.rootDir, keyPath, presence);
        made.instances.set(instance.id ?? "", child);
        await child.loadCalls(depth + 1, check);
      }
    }
  }

  /**
   * A module call takes arguments only: Terraform rejects a nested block in it (`ingress { }`
   * inside `module "sg"`). hcl2json writes such a block like a list-of-objects argument,
   * so the source text tells them apart.
   */
  private checkCallSyntax(name: string, call: BlockRef): void {
    const lines = call.file.source.text.split("\n");
    for (const [key, value] of Object.entries(call.body)) {
      if (!Array.isArray(value) || !value.every((v) => isRecord(v))) continue;
      const at = call.file.source.locate([...call.path, key, 0]);
      if (!at) continue;
      const rest = (lines[at.line - 1] ?? "").slice(at.column - 1 + key.length);
      if (!/^\s*("[^"]*"\s*)*\{/.test(rest)) continue;
      call.file.diagnostics.push({
        message: `invalid Terraform: module "${name}" has a nested "${key}" block, but a module call takes arguments only`,
        line: at.line,
        column: at.column,
      });
    }
  }

  private tooDeep(where: string, call: BlockRef): void {
    const at = call.file.source.locate(call.path);
    const message = `limit exceeded: ${where} nests module calls more than ${MAX_MODULE_DEPTH} deep ${fixedCap("module nesting")}; the modules it calls were not checked: ${FIXED_CAPS["module nesting"]}`;
    if (!call.file.diagnostics.some((d) => d.message === message)) call.file.diagnostics.push({ message, line: at?.line ?? 1, column: at?.column ?? 1 });
  }

  private note(text: string): void {
    if (!this.ctx.notes.includes(text)) this.ctx.notes.push(text);
  }

  /**
   * The instances of a block with `count` or `for_each`: undefined when there are none, one
   * instance with key `""` when they cannot be told apart (unknown or too many), else one per key.
   */
  private instances(body: Record<string, unknown>, address: string): BlockInstance[] | undefined {
    if (hasKey(body, "count")) return this.countInstances(this.evaluate(body["count"]), address);
    if (hasKey(body, "for_each")) return this.forEachInstances(this.evaluate(body["for_each"]), address);
    return [onceForAll()];
  }

  private countInstances(count: Resolved, address: string): BlockInstance[] | undefined {
    const n = countNumber(count);
    if (n === 0) return undefined;
    if (n !== undefined) {
      if (n > activeLimits().maxInstances) return [onceForAll(undefined, unknownIndex(tooManyInstances(address, `has ${n}`)))];
      return Array.from({ length: n }, (_, i) => countedInstance(i));
    }
    const why = count instanceof Unknown ? count.reason : "count is not a number";
    const possible = count instanceof Unknown ? count.possible?.map(countNumber) : undefined;
    if (!possible || possible.some((c) => c === undefined)) {
      // Nothing is known of the count: one evaluation stands for every instance, and for none.
      const presence = new Unknown(`${address} is created only if its count is not 0, which cannot be decided: ${why}`);
      return [onceForAll(presence, unknownIndex(`the count of ${address} cannot be computed: ${why}`))];
    }
    return possibleCountInstances(possible as number[], address, why);
  }

  private forEachInstances(each: Resolved, address: string): BlockInstance[] | undefined {
    const entries = collectionEntries(each);
    if (!entries) return possibleForEachInstances(each, address) ?? [onceForAll(unknownForEachPresence(each, address), unknownEach(each, address))];
    if (entries.length === 0) return undefined;
    if (entries.length > activeLimits().maxInstances) return [onceForAll(undefined, cappedEach(entries.map(([, v]) => v), tooManyInstances(address, `has ${entries.length}`)))];
    return entries.map(([k, v]) => ({
      bindings: new Map<string, Resolved>([["each", { key: k, value: v }]]),
      key: `[${JSON.stringify(k)}]`,
      id: String(k),
    }));
  }

  /** Evaluates a block body: nested blocks stay lists of bodies, `dynamic` blocks are expanded. */
  private evaluateBody(raw: Record<string, unknown>, bindings: Bindings, path: PropertyPath, source: TerraformSource, top: boolean): ResolvedMap {
    const out = emptyMap();
    for (const [key, value] of Object.entries(raw)) {
      if (top && META_ARGUMENTS.has(key)) continue;
      if (key === "dynamic") continue;
      if (Array.isArray(value) && value.length > 0 && value.every((v) => isRecord(v))) {
        out[key] = value.map((v, i) => this.evaluateBody(v as Record<string, unknown>, bindings, [...path, key, i], source, false));
      } else {
        const v = this.evaluate(value, bindings);
        // The provider reads null and "" in an optional argument as "not set".
        if (v !== ABSENT && v !== null && v !== "") out[key] = v;
      }
    }
    const dynamic = raw["dynamic"];
    if (isRecord(dynamic)) {
      for (const [blockType, specs] of Object.entries(dynamic as Record<string, unknown>)) {
        (Array.isArray(specs) ? specs : [specs]).forEach((spec, j) => {
          if (!isRecord(spec)) return;
          const generated = this.expandDynamic(blockType, spec as Record<string, unknown>, bindings, [...path, "dynamic", blockType, j], source);
          const list = (Array.isArray(out[blockType]) ? (out[blockType] as Resolved[]) : []) as Resolved[];
          for (const item of generated) {
            source.alias([...path, blockType, list.length], [...path, "dynamic", blockType, j, "content", 0]);
            list.push(item);
          }
          out[blockType] = list;
        });
      }
    }
    return out;
  }

  private expandDynamic(blockType: string, spec: Record<string, unknown>, bindings: Bindings, path: PropertyPath, source: TerraformSource): Resolved[] {
    const iterator = typeof spec["iterator"] === "string" ? spec["iterator"].replace(/^\$\{\s*|\s*\}$/g, "") : blockType;
    const content = Array.isArray(spec["content"]) ? spec["content"][0] : spec["content"];
    if (!isRecord(content)) return [];
    const forEach = this.evaluate(spec["for_each"], bindings);
    const entries = collectionEntries(forEach);
    if (!entries) {
      const why = forEach instanceof Unknown ? forEach.reason : "its for_each is not a collection";
      return [new Unknown(`the dynamic "${blockType}" blocks cannot be known: ${why}`)];
    }
    return entries.map(([k, v]) => {
      const inner = new Map(bindings);
      inner.set(iterator, { key: k, value: v });
      return this.evaluateBody(content as Record<string, unknown>, inner, [...path, "content", 0], source, false);
    });
  }

  /** The module calls this instance read, each by its name with its first instance (all instances share the configuration): for the cycle check. */
  calledModules(): Map<string, ModuleInstance> {
    const out = new Map<string, ModuleInstance>();
    for (const [name, call] of this.children) {
      const first = call instanceof Unknown ? undefined : [...call.instances.values()][0];
      if (first) out.set(name, first);
    }
    return out;
  }

  /** The module instances this one calls. */
  private childInstances(): ModuleInstance[] {
    const out: ModuleInstance[] = [];
    for (const call of this.children.values()) if (!(call instanceof Unknown)) out.push(...call.instances.values());
    return out;
  }

  /** The definitions of this instance and of every module it calls. */
  definitions(): ModuleDefinition[] {
    return [this.def, ...this.childInstances().flatMap((c) => c.definitions())];
  }

  /** Every resource of this instance and of the modules it calls. */
  resources(): NativeResource[] {
    const out: NativeResource[] = [];
    for (const { type, name, block } of this.def.resources) {
      const address = `${this.prefix}${type}.${name}`;
      const instances = this.instances(block.body, address);
      if (!instances) continue;
      instances.forEach(({ bindings, key, presence: own }, i) => {
        const body = this.evaluateBody(block.body, bindings, block.path, block.file.source, true);
        const presence = own ?? this.presence;
        out.push({
          format: "terraform",
          scope: this.scope,
          address,
          // The first instance's node keeps the plain address, so references without a key reach it.
          ...(i > 0 ? { instance: key } : {}),
          ...(key ? { instanceAddress: address + key } : {}),
          ...(presence ? { presence } : {}),
          nativeType: type,
          body,
          resourcePath: block.path,
          bodyPath: block.path,
          source: block.file.source,
        });
      });
    }
    for (const child of this.childInstances()) out.push(...child.resources());
    return out;
  }
}

const PARTITION_TYPE = "aws_partition";
/** The data source of the older template provider that renders a template text. */
const TEMPLATE_FILE_TYPE = "template_file";
/** The attributes of `data "aws_partition"`, each among the values of the partitions AWS has. */
const PARTITION_ATTRIBUTES: Record<string, string[]> = { id: PARTITIONS, partition: PARTITIONS, dns_suffix: DNS_SUFFIXES, reverse_dns_prefix: REVERSE_DNS_PREFIXES };

/** `data.aws_partition.NAME.ATTR` (also `[KEY].ATTR`): read when Terraform plans, but one of a few values. */
function partitionAttribute(rest: string[], reason: string): Resolved {
  const attribute = rest.find((part) => Object.hasOwn(PARTITION_ATTRIBUTES, part));
  return attribute ? new Unknown(reason, { possible: PARTITION_ATTRIBUTES[attribute]! }) : new Unknown(reason);
}
