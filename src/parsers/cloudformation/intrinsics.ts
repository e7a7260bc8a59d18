/**
 * Resolves CloudFormation intrinsic functions into three-valued values.
 *
 * What the template fixes is known; what only the deployment decides (resource ids,
 * attributes, the region, imports, macros) is unknown with a reason; parameters and
 * conditions are followed as far as the template and the given parameter values allow.
 */
import {
  ABSENT,
  combine,
  concatenate,
  describeValue,
  emptyMap,
  hasKey,
  isMap,
  possibleValues,
  refsIn,
  textParts,
  Unknown,
  type Resolved,
  type ResolvedMap,
} from "../../values/value.js";
import { checkDeadline } from "../../limits/budget.js";
import { fixedCap } from "../../limits/evaluation.js";
import { parameterShape, PSEUDO_SHAPES, referenceShape } from "./shapes.js";
import { DNS_SUFFIXES, PARTITIONS } from "../aws-partitions.js";
import { isRegistryModule, moduleHolding, moduleResourceValue } from "./registry-modules.js";

export interface TemplateParts {
  parameters: Record<string, unknown>;
  conditions: Record<string, unknown>;
  mappings: Record<string, unknown>;
  /** Logical id → resource type. */
  resources: Record<string, string>;
  /** Logical id → the resource's `Properties` as written (for attributes that copy one). */
  properties?: Record<string, unknown>;
}

/** Links to the other stacks of a deployment: what a parent passes, what others export. */
export interface StackLinks {
  /** Parameter values passed by a parent stack (they take precedence over everything). */
  parameters?: Record<string, Resolved>;
  /** The value of an export of another stack, when the deployment has it. */
  importValue?(name: string): Resolved | undefined;
  /** The value of an output of another stack, by stack name. */
  stackOutput?(stackName: string, outputName: string): Resolved | undefined;
  /**
   * The value of output `outputName` of the nested stack that resource `logicalId` of this
   * template creates (`Fn::GetAtt [Nested, Outputs.X]`); `parameters` evaluates the
   * resource's `Parameters` in this template, for a nested stack not read yet.
   */
  nestedOutput?(logicalId: string, outputName: string, parameters: () => Resolved): Resolved | undefined;
}

/** The pseudo parameter a user may give a value per template (`--param`, configuration): the stack name. */
export const STACK_NAME = "AWS::StackName";

const PSEUDO: Record<string, string> = {
  "AWS::Region": "the region (AWS::Region) is known only at deployment",
  "AWS::AccountId": "the account id (AWS::AccountId) is known only at deployment",
  "AWS::StackName": "the stack name (AWS::StackName) is known only at deployment",
  "AWS::StackId": "the stack id (AWS::StackId) is known only at deployment",
  "AWS::NotificationARNs": "the notification ARNs (AWS::NotificationARNs) are known only at deployment",
  "AWS::Partition": "the partition (AWS::Partition) is known only at deployment",
  "AWS::URLSuffix": "the URL suffix (AWS::URLSuffix) is known only at deployment",
};

/** Pseudo parameters that can take only a few values: the AWS partitions and their domains. */
const PSEUDO_POSSIBLE: Record<string, Resolved[]> = {
  "AWS::Partition": PARTITIONS,
  "AWS::URLSuffix": DNS_SUFFIXES,
};

/** The attribute is the resource's own id: the same as `Ref` of it. */
const IDENTITY = Symbol("identity");

/**
 * `Fn::GetAtt` attributes that equal a property of the resource (by name) or the resource's
 * id, from the "Return values" sections of the CloudFormation resource reference. A copied
 * property that the template leaves out leaves the attribute unknown.
 */
const ATTRIBUTE_COPIES: Record<string, string | typeof IDENTITY> = Object.assign(Object.create(null) as Record<string, string | typeof IDENTITY>, {
  "AWS::EC2::VPC.CidrBlock": "CidrBlock",
  "AWS::EC2::VPC.VpcId": IDENTITY,
  "AWS::EC2::Subnet.CidrBlock": "CidrBlock",
  "AWS::EC2::Subnet.SubnetId": IDENTITY,
  "AWS::EC2::Subnet.VpcId": "VpcId",
  "AWS::EC2::Subnet.AvailabilityZone": "AvailabilityZone",
  "AWS::EC2::Subnet.OutpostArn": "OutpostArn",
  "AWS::EC2::SecurityGroup.GroupId": IDENTITY,
  "AWS::EC2::SecurityGroup.VpcId": "VpcId",
  "AWS::EC2::LaunchTemplate.LaunchTemplateId": IDENTITY,
  "AWS::EC2::Instance.InstanceId": IDENTITY,
  "AWS::EC2::Instance.AvailabilityZone": "AvailabilityZone",
  "AWS::EC2::NetworkInterface.Id": IDENTITY,
  "AWS::EC2::NetworkInterface.PrimaryPrivateIpAddress": "PrivateIpAddress",
  "AWS::EC2::EIP.PublicIp": IDENTITY,
  "AWS::EC2::Volume.VolumeId": IDENTITY,
  "AWS::KMS::Key.KeyId": IDENTITY,
  "AWS::KMS::Key.Arn": IDENTITY,
  "AWS::SSM::Parameter.Value": "Value",
  "AWS::SSM::Parameter.Type": "Type",
});

/** Where the two branches of an `Fn::If` are written, relative to the function. */
const IF_BRANCHES = [["Fn::If", 1], ["Fn::If", 2]] as const;

/** How deep intrinsic functions may nest before the resolver stops (against crafted input). */
const MAX_DEPTH = 200;

export class IntrinsicResolver {
  private readonly conditionCache = new Map<string, Resolved>();
  private readonly conditionsInProgress = new Set<string>();
  private readonly parameterValues = new Map<string, Resolved>();
  private readonly attributesInProgress = new Set<string>();

  constructor(
    private readonly parts: TemplateParts,
    /** Parameter values given by the user (`--param`, parameter files). */
    private readonly overrides: Record<string, string> = {},
    /** Values that come from other stacks of the same deployment (a CDK assembly). */
    private readonly stacks: StackLinks = {},
  ) {}

  /** The value of a parameter: given value, else default, else its allowed values, else unknown. */
  parameter(name: string): Resolved {
    const cached = this.parameterValues.get(name);
    if (cached !== undefined) return cached;
    const value = this.computeParameter(name);
    this.parameterValues.set(name, value);
    return value;
  }

  private computeParameter(name: string): Resolved {
    const decl = this.parts.parameters[name];
    const spec = isMap(decl as Resolved) ? (decl as Record<string, unknown>) : {};
    const type = typeof spec["Type"] === "string" ? (spec["Type"] as string) : "String";
    const isList = type.startsWith("List<") || type === "CommaDelimitedList";
    const asGiven = (raw: unknown): Resolved => {
      const text = String(raw);
      // CloudFormation hands every parameter value to the template as a string (or a list of them).
      return isList ? (Array.isArray(raw) ? raw.map(String) : text.split(",").map((s) => s.trim())) : text;
    };
    const passed = this.stacks.parameters?.[name];
    if (passed !== undefined) return passed;
    const known = parameterShape(spec);
    const shaped = known ? { shape: known } : {};
    if (type.startsWith("AWS::SSM::Parameter::Value<")) {
      // The given value or default names an SSM parameter; its value is read at deployment.
      const ssmName = hasKey(this.overrides, name) ? this.overrides[name] : hasKey(spec, "Default") ? String(spec["Default"]) : undefined;
      return new Unknown(`parameter ${name} is read from the SSM parameter${ssmName ? ` ${ssmName}` : ""} at deployment`, shaped);
    }
    if (hasKey(this.overrides, name)) return asGiven(this.overrides[name]);
    if (hasKey(spec, "Default") && isScalarOrList(spec["Default"])) return asGiven(spec["Default"]);
    const allowed = spec["AllowedValues"];
    if (Array.isArray(allowed) && allowed.length > 0 && allowed.every(isScalar)) {
      return new Unknown(`parameter ${name} has no default and no value was given`, {
        possible: allowed.map((a) => asGiven(a)),
      });
    }
    return new Unknown(`parameter ${name} has no default and no value was given`, shaped);
  }

  /** Evaluates a named condition to true, false or unknown. */
  condition(name: string): Resolved {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    if (!hasKey(this.parts.conditions, name)) {
      return new Unknown(`condition ${name} is not declared in the template`);
    }
    if (this.conditionsInProgress.has(name)) return new Unknown(`condition ${name} refers to itself`);
    this.conditionsInProgress.add(name);
    const value = this.resolveCondition(this.parts.conditions[name], 0);
    this.conditionsInProgress.delete(name);
    this.conditionCache.set(name, value);
    return value;
  }

  private resolveCondition(raw: unknown, depth: number): Resolved {
    const v = this.resolve(raw, depth);
    return combine([v], ([x]) => (typeof x === "boolean" ? x : x === "true" ? true : x === "false" ? false : new Unknown(`condition value ${describeValue(x!)} is not a boolean`)));
  }

  /** Resolves any template fragment. `AWS::NoValue` comes back as ABSENT. */
  resolve(raw: unknown, depth = 0): Resolved {
    checkDeadline();
    if (depth > MAX_DEPTH) return new Unknown(`intrinsic functions nest too deeply to evaluate, more than ${MAX_DEPTH} levels ${fixedCap("intrinsic nesting")}`);
    if (raw === null || typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
    if (raw === undefined) return ABSENT;
    if (raw instanceof Unknown) return raw; // a part of the template that parapet does not expand
    // A list or map none of whose parts change is returned as it is: most of a template holds
    // no intrinsic function, and copying it all was most of this function's time. Nothing
    // modifies resolved values, so sharing them with the template's data is safe.
    if (Array.isArray(raw)) {
      let out: Resolved[] | undefined;
      for (let i = 0; i < raw.length; i++) {
        const item: unknown = raw[i];
        const r = this.resolve(item, depth + 1);
        if (out === undefined) {
          if (r === item) continue;
          out = raw.slice(0, i) as Resolved[];
        }
        if (r !== ABSENT) out.push(r);
      }
      return out ?? (raw as Resolved[]);
    }
    if (typeof raw !== "object") return String(raw);
    const obj = raw as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const key = keys[0]!;
      if (key === "Ref" || key === "Condition" || key.startsWith("Fn::")) return this.intrinsic(key, obj[key], depth + 1);
    }
    // Only maps without a prototype are kept as they are (what the readers make); any other object is copied into one.
    let out: ResolvedMap | undefined = Object.getPrototypeOf(obj) === null ? undefined : emptyMap();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = obj[key];
      const r = this.resolve(value, depth + 1);
      if (out === undefined) {
        if (r === value) continue;
        out = emptyMap();
        for (let j = 0; j < i; j++) out[keys[j]!] = obj[keys[j]!] as Resolved;
      }
      if (r !== ABSENT) out[key] = r;
    }
    return out ?? (obj as ResolvedMap);
  }

  private intrinsic(name: string, arg: unknown, depth: number): Resolved {
    const r = (x: unknown) => this.resolve(x, depth);
    const args = Array.isArray(arg) ? arg : [arg];
    switch (name) {
      case "Ref":
        return combine([r(arg)], ([n]) => this.ref(String(n)));
      case "Condition":
        return combine([r(arg)], ([n]) => this.condition(String(n)));
      case "Fn::GetAtt":
        return this.getAtt(arg, depth);
      case "Fn::If":
        return this.fnIf(args, depth);
      case "Fn::Equals":
        return combine([r(args[0]), r(args[1])], ([a, b]) => looseEquals(a!, b!));
      case "Fn::Not":
        return combine([this.resolveCondition(args[0], depth)], ([a]) => !(a as boolean));
      case "Fn::And":
        return kleene(args.map((a) => this.resolveCondition(a, depth)), "and");
      case "Fn::Or":
        return kleene(args.map((a) => this.resolveCondition(a, depth)), "or");
      case "Fn::Sub":
        return this.sub(arg, depth);
      case "Fn::Join":
        return this.join(args, depth);
      case "Fn::Select":
        return combine([r(args[0]), r(args[1])], ([index, list]) => {
          if (!Array.isArray(list)) return new Unknown(`Fn::Select from ${describeValue(list!)}, which is not a list`);
          const i = Number(index);
          if (!Number.isInteger(i) || i < 0 || i >= list.length) return new Unknown(`Fn::Select index ${describeValue(index!)} is out of range`);
          return list[i]!;
        });
      case "Fn::Split":
        return combine([r(args[0]), r(args[1])], ([delim, text]) =>
          typeof text === "string" ? text.split(String(delim)) : new Unknown(`Fn::Split of ${describeValue(text!)}, which is not a string`),
        );
      case "Fn::FindInMap":
        return this.findInMap(args, depth);
      case "Fn::Base64": {
        // The decoded text is what rules read (user data): an unknown keeps its known text.
        const input = r(arg);
        if (input instanceof Unknown && input.fragments) return input;
        return combine([input], ([text]) =>
          typeof text === "string" ? Buffer.from(text, "utf8").toString("base64") : new Unknown("Fn::Base64 of a value that is not a string"),
        );
      }
      case "Fn::Length":
        return combine([r(arg)], ([list]) => (Array.isArray(list) ? list.length : new Unknown("Fn::Length of a value that is not a list")));
      case "Fn::ToJsonString":
        return combine([r(arg)], ([v]) => JSON.stringify(v));
      case "Fn::GetAZs":
        return new Unknown("the availability zones (Fn::GetAZs) are known only at deployment");
      case "Fn::Cidr":
        return new Unknown("address blocks from Fn::Cidr are computed at deployment");
      case "Fn::ImportValue":
        return this.importValue(arg, depth);
      case "Fn::GetStackOutput": {
        const spec = isMap(arg as Resolved) ? (arg as Record<string, unknown>) : {};
        return combine([r(spec["StackName"]), r(spec["OutputName"])], ([stack, output]) =>
          (typeof stack === "string" && typeof output === "string" ? this.stacks.stackOutput?.(stack, output) : undefined) ??
          new Unknown(`output ${describeValue(output!)} of stack ${describeValue(stack!)} is read at deployment`),
        );
      }
      case "Fn::Transform":
        return new Unknown(`the value is produced by the macro ${describeValue(r(isMap(arg as Resolved) ? (arg as Record<string, unknown>)["Name"] : arg))} at deployment`);
      default:
        return new Unknown(`${name} is not evaluated by parapet`);
    }
  }

  private ref(name: string): Resolved {
    if (name === "AWS::NoValue") return ABSENT;
    if (hasKey(this.parts.parameters, name)) return this.parameter(name);
    if (name === STACK_NAME && hasKey(this.overrides, name)) return this.overrides[name]!;
    if (hasKey(PSEUDO, name)) {
      return new Unknown(PSEUDO[name]!, PSEUDO_POSSIBLE[name] ? { possible: PSEUDO_POSSIBLE[name] } : { shape: PSEUDO_SHAPES[name]! });
    }
    if (hasKey(this.parts.resources, name)) return this.resourceId(name);
    return this.insideModule(name) ?? new Unknown(`Ref to ${name}, which the template does not declare`, { ref: { target: name, undeclared: true } });
  }

  private getAtt(arg: unknown, depth: number): Resolved {
    const parts = Array.isArray(arg) ? arg : typeof arg === "string" ? splitAttribute(arg) : [];
    const target = this.resolve(parts[0], depth);
    const attribute = this.resolve(parts[1], depth);
    if (typeof target !== "string") return new Unknown("Fn::GetAtt names no resource");
    const attr = typeof attribute === "string" ? attribute : "<attribute>";
    if (!hasKey(this.parts.resources, target)) {
      return (
        this.insideModule(`${target}.${attr}`) ??
        new Unknown(`Fn::GetAtt of ${target}, which the template does not declare`, {
          ref: { target, attribute: attr, undeclared: true },
        })
      );
    }
    if (isRegistryModule(this.parts.resources[target]!)) return moduleResourceValue(target, this.parts.resources[target]!, `${target}.${attr}`);
    return this.attribute(target, attr, depth);
  }

  /** A reference to a resource inside a registry module of the template (`M.Inner`, `MInner.Arn`), or undefined. */
  private insideModule(written: string): Unknown | undefined {
    const id = moduleHolding(written, this.parts.resources);
    return id === undefined ? undefined : moduleResourceValue(id, this.parts.resources[id]!, written);
  }

  /** `Ref` of a resource of the template: its id, of the form its type gives it. */
  private resourceId(name: string, shape = referenceShape(this.parts.resources[name]!)): Unknown {
    return new Unknown(`the id of ${name} is known only after deployment`, { ref: { target: name }, ...(shape ? { shape } : {}) });
  }

  /**
   * `Fn::GetAtt` of a resource of the template: an attribute that copies a property is that
   * property's value; one that is the resource's id is the same reference as `Ref`; any other
   * is unknown, of the form the type documents.
   */
  private attribute(target: string, attr: string, depth: number): Resolved {
    const type = this.parts.resources[target]!;
    if (type === "AWS::CloudFormation::Stack" && attr.startsWith("Outputs.")) {
      const fromNested = this.nestedOutput(target, attr.slice("Outputs.".length), depth);
      if (fromNested !== undefined) return fromNested;
    }
    const copy = ATTRIBUTE_COPIES[`${type}.${attr}`];
    if (copy === IDENTITY) return this.resourceId(target, referenceShape(type, attr));
    if (copy !== undefined) {
      const props = this.parts.properties?.[target];
      const value = isMap(props as Resolved) && hasKey(props as object, copy) ? (props as Record<string, unknown>)[copy] : undefined;
      if (value !== undefined && !this.attributesInProgress.has(target)) {
        this.attributesInProgress.add(target);
        const resolved = this.resolve(value, depth);
        this.attributesInProgress.delete(target);
        if (resolved !== ABSENT) return resolved;
      }
    }
    const shape = referenceShape(type, attr);
    return new Unknown(`${target}.${attr} is known only after deployment`, { ref: { target, attribute: attr }, ...(shape ? { shape } : {}) });
  }

  /**
   * `Fn::ImportValue`: the export's value when the deployment has it, else unknown because it
   * comes from another stack, also when its name is itself not known (`${ParentVPCStack}-VPC`):
   * the import, not the name's parameter, is what keeps the value unknown.
   */
  private importValue(arg: unknown, depth: number): Resolved {
    const name = this.resolve(arg, depth);
    const fromExport = (n: Resolved) =>
      (typeof n === "string" ? this.stacks.importValue?.(n) : undefined) ?? new Unknown(`Fn::ImportValue ${describeValue(n)} comes from another stack's export`);
    if (name instanceof Unknown && !name.possible) {
      return new Unknown(`Fn::ImportValue ${writtenName(arg, name)} comes from another stack's export`, name.ref || name.refs ? { refs: refsIn(name) } : {});
    }
    return combine([name], ([n]) => fromExport(n!));
  }

  /** An output of the nested stack a resource creates, when the deployment has its template. */
  private nestedOutput(target: string, output: string, depth: number): Resolved | undefined {
    if (!this.stacks.nestedOutput || this.attributesInProgress.has(target)) return undefined;
    this.attributesInProgress.add(target);
    try {
      const props = this.parts.properties?.[target];
      const passed = isMap(props as Resolved) ? (props as Record<string, unknown>)["Parameters"] : undefined;
      return this.stacks.nestedOutput(target, output, () => this.resolve(passed, depth));
    } finally {
      this.attributesInProgress.delete(target);
    }
  }

  private fnIf(args: unknown[], depth: number): Resolved {
    const name = typeof args[0] === "string" ? args[0] : undefined;
    const cond = name !== undefined ? this.condition(name) : this.resolveCondition(args[0], depth);
    if (cond === true) return this.resolve(args[1], depth);
    if (cond === false) return this.resolve(args[2], depth);
    const reason = cond instanceof Unknown ? `condition ${name ?? ""} cannot be decided: ${cond.reason}` : "condition cannot be decided";
    return possibleValues([this.resolve(args[1], depth), this.resolve(args[2], depth)], reason.replace("condition  ", "condition "), IF_BRANCHES);
  }

  private sub(arg: unknown, depth: number): Resolved {
    const [templateRaw, varsRaw] = Array.isArray(arg) ? arg : [arg, undefined];
    const template = this.resolve(templateRaw, depth);
    if (typeof template !== "string") return template instanceof Unknown ? template : new Unknown("Fn::Sub needs a string");
    const vars = isMap(varsRaw as Resolved) ? (varsRaw as Record<string, unknown>) : {};
    const pieces: Resolved[] = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = re.exec(template); m; m = re.exec(template)) {
      pieces.push(template.slice(last, m.index));
      const inner = m[1]!.trim();
      if (inner.startsWith("!")) pieces.push("${" + inner.slice(1) + "}");
      else if (hasKey(vars, inner)) pieces.push(this.resolve(vars[inner], depth));
      else if (inner.includes(".")) pieces.push(this.getAtt(splitAttribute(inner), depth));
      else pieces.push(this.ref(inner));
      last = m.index + m[0].length;
    }
    pieces.push(template.slice(last));
    return concatenate(pieces, (known) => known.map((p) => (p === ABSENT ? "" : scalarText(p))).join(""));
  }

  private join(args: unknown[], depth: number): Resolved {
    const delim = this.resolve(args[0], depth);
    const list = this.resolve(args[1], depth);
    if (list instanceof Unknown) return combine([delim, list], ([d, l]) => joinList(String(d), l!));
    if (!Array.isArray(list)) return new Unknown("Fn::Join needs a list");
    const written = () => (typeof delim === "string" ? textParts(list, delim) : [new Unknown("the delimiter of Fn::Join is not known")]);
    return concatenate([delim, ...list], ([d, ...items]) => items.map(scalarText).join(String(d)), written);
  }

  private findInMap(args: unknown[], depth: number): Resolved {
    const [mapName, top, second] = args.slice(0, 3).map((a) => this.resolve(a, depth));
    const options = args[3];
    const fallback = isMap(options as Resolved) && hasKey(options as object, "DefaultValue")
      ? this.resolve((options as Record<string, unknown>)["DefaultValue"], depth)
      : undefined;
    return combine([mapName!, top!, second!], ([m, t, s]) => {
      const mapping = this.parts.mappings[String(m)];
      const level1 = isMap(mapping as Resolved) ? (mapping as Record<string, unknown>)[String(t)] : undefined;
      const level2 = isMap(level1 as Resolved) && hasKey(level1 as object, String(s)) ? (level1 as Record<string, unknown>)[String(s)] : undefined;
      if (level2 !== undefined) return this.resolve(level2, depth);
      if (fallback !== undefined) return fallback;
      return new Unknown(`mapping ${String(m)} has no entry ${String(t)}.${String(s)}`);
    });
  }
}

/** The name of an import as written: the text of its `Fn::Sub`, else the known text around its unknown parts. */
function writtenName(raw: unknown, resolved: Unknown): string {
  const sub = isMap(raw as Resolved) ? (raw as Record<string, unknown>)["Fn::Sub"] : undefined;
  const template = Array.isArray(sub) ? sub[0] : sub;
  if (typeof template === "string") return template;
  if (resolved.parts) return resolved.parts.map((p) => (typeof p === "string" ? p : "${...}")).join("");
  return "of a name known only at deployment";
}

function splitAttribute(text: string): string[] {
  const dot = text.indexOf(".");
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function isScalarOrList(v: unknown): boolean {
  return isScalar(v) || (Array.isArray(v) && v.every(isScalar));
}

function scalarText(v: Resolved): string {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
}

function joinList(delim: string, list: Resolved): Resolved {
  if (!Array.isArray(list)) return new Unknown("Fn::Join needs a list");
  return combine(list, (items) => items.map(scalarText).join(delim));
}

/** CloudFormation compares condition operands as strings. */
function looseEquals(a: Resolved, b: Resolved): boolean {
  if (isScalar(a) && isScalar(b)) return String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Three-valued AND / OR: a deciding operand wins over unknown ones. */
function kleene(values: Resolved[], op: "and" | "or"): Resolved {
  const decisive = op === "and" ? false : true;
  if (values.some((v) => v === decisive)) return decisive;
  const unknown = values.find((v) => v instanceof Unknown);
  if (!unknown) return !decisive;
  return combine(values, (known) => (op === "and" ? known.every((k) => k === true) : known.some((k) => k === true)));
}
