/**
 * The `Rules` section: assertions about parameter values that CloudFormation checks before it
 * creates or updates a stack. parapet evaluates them with the parameter values it has (given
 * values, defaults, allowed values) and notes each assertion those values violate, since the
 * stack could not be deployed with them. A rule whose condition or assertion cannot be decided
 * offline (it reads the account with `Fn::RefAll`, `Fn::ValueOf`, `Fn::ValueOfAll`, or a
 * parameter without a value) is left alone.
 */
import { RULE_ASSERTION_RULE_ID } from "../../findings/file-notices.js";
import type { PropertyPath, SourceFile } from "../../source/location.js";
import { combine, containsUnknown, describeValue, hasKey, isRecord, Unknown, type Resolved } from "../../values/value.js";
import type { IntrinsicResolver } from "./intrinsics.js";
import type { Diagnostic } from "../../source/document.js";


type Truth = boolean | Unknown;

/** Notes for the assertions of a template's Rules section that its parameter values violate. */
export function ruleAssertionNotes(rules: Record<string, unknown>, parameters: Record<string, unknown>, resolver: IntrinsicResolver, file: SourceFile): Diagnostic[] {
  const evaluator = new RuleEvaluator(resolver, parameters, file);
  const notes: Diagnostic[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    if (!isRecord(rule)) continue;
    if ("RuleCondition" in rule && evaluator.truth(rule["RuleCondition"]) !== true) continue;
    const assertions = Array.isArray(rule["Assertions"]) ? rule["Assertions"] : [];
    assertions.forEach((assertion: unknown, i) => {
      if (!isRecord(assertion) || evaluator.truth(assertion["Assert"]) !== false) return;
      const where = file.locate(["Rules", name, "Assertions", i, "Assert"]) ?? file.locate(["Rules", name]);
      notes.push({
        message: violationMessage(name, assertion["AssertDescription"], evaluator.parametersIn(rule)),
        line: where?.line ?? 1,
        column: where?.column ?? 1,
        notice: RULE_ASSERTION_RULE_ID,
        subject: `Rules.${name}.Assertions[${i}]`,
      });
    });
  }
  return notes;
}

function violationMessage(rule: string, description: unknown, parameters: string): string {
  const what = typeof description === "string" && description.trim() !== "" ? `: "${description.trim()}"` : "";
  const values = parameters ? ` (${parameters})` : "";
  return `rule ${rule}: the parameter values${values} violate its assertion${what}; CloudFormation would not create or update the stack with them`;
}

const ACCOUNT_READS = new Set(["Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll"]);

/** Three-valued evaluation of rule conditions and assertions. */
export class RuleEvaluator {
  constructor(
    private readonly resolver: IntrinsicResolver,
    /** The template's Parameters section. */
    private readonly parameters: Record<string, unknown>,
    /** The template, to show a default as it is written. */
    private readonly file?: SourceFile,
  ) {}

  /** True, false, or unknown with the reason. */
  truth(raw: unknown): Truth {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "false") return raw === "true";
    const call = singleCall(raw);
    if (!call) return new Unknown("not a rule function");
    const [name, arg] = call;
    const args = Array.isArray(arg) ? arg : [arg];
    switch (name) {
      case "Fn::And":
        return allOf(args.map((a) => this.truth(a)));
      case "Fn::Or":
        return not(allOf(args.map((a) => not(this.truth(a)))));
      case "Fn::Not":
        return not(this.truth(args[0]));
      case "Fn::If":
        return this.ifThen(args);
      case "Condition":
        return asTruth(this.resolver.condition(String(arg)));
      case "Fn::Equals":
        return this.compare(args, ([a, b]) => text(a) === text(b));
      case "Fn::Contains":
        return this.compare(args, ([list, s]) => members(list)?.includes(text(s)));
      case "Fn::EachMemberEquals":
        return this.compare(args, ([list, s]) => members(list)?.every((m) => m === text(s)));
      case "Fn::EachMemberIn":
        return this.compare(args, ([check, allowed]) => {
          const pool = members(allowed);
          return pool && members(check)?.every((m) => pool.includes(m));
        });
      default:
        return new Unknown(`${name} is not a rule function parapet evaluates`);
    }
  }

  /** `name=value` of each template parameter a rule refers to. */
  parametersIn(rule: unknown): string {
    const names = new Set<string>();
    collectRefs(rule, names);
    return [...names]
      .filter((n) => hasKey(this.parameters, n))
      .map((n) => `${n}=${this.shown(n)}`)
      .join(", ");
  }

  /**
   * A parameter's value as the template writes it: a default that YAML 1.1 reads as a boolean
   * (`No`, `on`) is shown with its reading, `No (read as false)`, so the note matches the text.
   */
  private shown(name: string): string {
    const value = describeValue(this.resolver.parameter(name));
    const decl = this.parameters[name];
    const fallback = isRecord(decl) ? decl["Default"] : undefined;
    if (typeof fallback !== "boolean" || value !== String(fallback) || !this.file) return value;
    const written = writtenScalar(this.file, ["Parameters", name, "Default"]);
    return written && written !== value ? `${written} (read as ${value})` : value;
  }

  private ifThen(args: unknown[]): Truth {
    const holds = asTruth(this.resolver.condition(String(args[0])));
    if (holds instanceof Unknown) return holds;
    return this.truth(holds ? args[1] : args[2]);
  }

  private compare(args: unknown[], test: (known: Resolved[]) => boolean | undefined): Truth {
    const values = args.map((a) => this.value(a));
    return asTruth(combine(values, (known) => (known.some(containsUnknown) ? new Unknown("a value is known only at deployment") : (test(known) ?? new Unknown("the arguments are not lists of strings")))));
  }

  private value(raw: unknown): Resolved {
    const call = singleCall(raw);
    if (call && ACCOUNT_READS.has(call[0])) return new Unknown(`${call[0]} reads the account's resources at deployment`);
    if (Array.isArray(raw)) return raw.map((item) => this.value(item));
    return this.resolver.resolve(raw);
  }
}

function singleCall(raw: unknown): [string, unknown] | undefined {
  if (!isRecord(raw)) return undefined;
  const keys = Object.keys(raw);
  return keys.length === 1 ? [keys[0]!, raw[keys[0]!]] : undefined;
}

function asTruth(v: Resolved): Truth {
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  return v instanceof Unknown ? v : new Unknown(`${describeValue(v)} is not a boolean`);
}

function not(v: Truth): Truth {
  return typeof v === "boolean" ? !v : v;
}

/** Three-valued AND: a false operand decides, else an unknown one leaves it open. */
function allOf(values: Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.find((v): v is Unknown => v instanceof Unknown) ?? true;
}

/** CloudFormation compares parameter values as strings. */
function text(v: Resolved | undefined): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function members(v: Resolved | undefined): string[] | undefined {
  return Array.isArray(v) ? v.map(text) : undefined;
}

function collectRefs(raw: unknown, out: Set<string>): void {
  if (Array.isArray(raw)) for (const x of raw) collectRefs(x, out);
  else if (isRecord(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (k === "Ref" && typeof v === "string") out.add(v);
      else collectRefs(v, out);
    }
  }
}

/** The text of a one-line `key: value` entry's value (`Default: No` → `No`), as written. */
function writtenScalar(file: SourceFile, path: PropertyPath): string | undefined {
  const where = file.locate(path);
  if (!where || where.endLine !== where.line) return undefined;
  const entry = (file.text.split(/\r?\n/)[where.line - 1] ?? "").slice(where.column - 1, where.endColumn - 1);
  const value = /^[^:]*:\s*(\S+)$/.exec(entry)?.[1];
  return value && !/^["']/.test(value) ? value : undefined;
}
