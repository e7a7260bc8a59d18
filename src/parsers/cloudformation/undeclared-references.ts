/**
 * `Ref`, `Fn::GetAtt` and `Fn::Sub` names that the template does not declare (not a parameter,
 * a resource or a pseudo parameter). CloudFormation rejects such a template before it creates
 * anything ("unresolved resource dependencies"), so each one is a template error at the
 * reference. Names a transform declares (SAM's generated resources) are not errors.
 */
import type { PropertyPath } from "../../source/location.js";
import { isRecord } from "../../values/value.js";

export interface UndeclaredReference {
  message: string;
  path: PropertyPath;
}

/** Whether a name is declared: a parameter, a resource, a pseudo parameter or a name a transform makes. */
export type Declared = (name: string) => boolean;

const SUB_VARIABLE = /\$\{([^}!][^}]*)\}/g;

/** The names an `Fn::Sub` string refers to (`${Name}`, `${Name.Attribute}`), without `${!Literal}` and its own variables. */
function subNames(arg: unknown): string[] {
  const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
  if (typeof text !== "string") return [];
  const own = isRecord(vars) ? vars : {};
  return [...text.matchAll(SUB_VARIABLE)].map((m) => m[1]!.trim().split(".")[0]!).filter((n) => !Object.hasOwn(own, n));
}

/** The resource a `Fn::GetAtt` names (`[A, B]` or `A.B`). */
function getAttTarget(arg: unknown): string | undefined {
  const first = Array.isArray(arg) ? arg[0] : typeof arg === "string" ? arg.split(".")[0] : undefined;
  return typeof first === "string" ? first : undefined;
}

/** The names the function `key` (with argument `arg`) refers to: a `Ref`, a `Fn::GetAtt` target, `Fn::Sub` variables; none for any other key. */
export function functionNames(key: string, arg: unknown): string[] {
  if (key === "Ref") return typeof arg === "string" ? [arg] : [];
  if (key === "Fn::GetAtt") {
    const target = getAttTarget(arg);
    return target === undefined ? [] : [target];
  }
  return key === "Fn::Sub" ? subNames(arg) : [];
}

/** Every reference in a written value to a name that is not declared, with the path of the function. */
export function undeclaredReferences(value: unknown, path: PropertyPath, declared: Declared, out: UndeclaredReference[] = []): UndeclaredReference[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => undeclaredReferences(item, [...path, i], declared, out));
    return out;
  }
  if (!isRecord(value)) return out;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = value[key];
    for (const name of functionNames(key, arg)) {
      if (!declared(name)) out.push({ message: `${key === "Ref" ? "Ref to" : `${key} of`} ${name}, which the template does not declare: CloudFormation rejects the template (unresolved dependency)`, path: [...path, key] });
    }
  }
  for (const key of keys) undeclaredReferences(value[key], [...path, key], declared, out);
  return out;
}
