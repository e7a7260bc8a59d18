/**
 * CloudFormation registry modules: a resource whose `Type` ends in `::MODULE` stands for the
 * resources of a module registered in the account, which CloudFormation inserts at
 * deployment. The template names a resource inside module `M` as `M.Inner` or `MInner`.
 * parapet does not have the module's content: references to its resources are unknown.
 */
import type { PropertyPath } from "../../source/location.js";
import { Unknown } from "../../values/value.js";

const MODULE_SUFFIX = "::MODULE";

export function isRegistryModule(type: string): boolean {
  return type.endsWith(MODULE_SUFFIX);
}

/** The module resource whose logical id starts `name` (`M.Inner`, `MInner`), the longest one; none for the module itself. */
export function moduleHolding(name: string, types: Record<string, string>): string | undefined {
  let found: string | undefined;
  for (const [id, type] of Object.entries(types)) {
    if (name === id || !name.startsWith(id) || !isRegistryModule(type)) continue;
    if (found === undefined || id.length > found.length) found = id;
  }
  return found;
}

/** The value of a reference to a resource inside module `id` (or to an attribute of one). */
export function moduleResourceValue(id: string, type: string, written: string): Unknown {
  return new Unknown(`${written} is a resource inside registry module ${id} (type ${type}), which parapet does not have`, { ref: { target: id } });
}

/** One note per module type: where it is first used and the logical ids that use it. */
export function registryModuleNotes(types: Record<string, string>): { subject: string; message: string; path: PropertyPath }[] {
  const byType = new Map<string, string[]>();
  for (const [id, type] of Object.entries(types)) if (isRegistryModule(type)) byType.set(type, [...(byType.get(type) ?? []), id]);
  return [...byType].map(([type, ids]) => ({
    subject: type,
    message: `module ${type} (${ids.join(", ")}) is expanded by CloudFormation at deployment from the registry; the resources it creates are not checked`,
    path: ["Resources", ids[0]!, "Type"],
  }));
}
