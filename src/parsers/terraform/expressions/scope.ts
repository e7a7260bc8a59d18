/** What an expression sees: the references its scope answers, local bindings (for expressions, splats), and the files it may read. */
import { type Resolved, Unknown, getPath, hasKey, isMap } from "../../../values/value.js";

/** Resolves references that are not local to the expression (var.*, local.*, resource and data references, count.index, each.key/value, path.*, module.*, dynamic block iterators). parts = the whole traversal: names as strings, index keys as strings or numbers, e.g. var.cidrs[0] → ["var","cidrs",0]; aws_security_group.web.id → ["aws_security_group","web","id"]. Returns the value of the whole traversal (the scope applies the trailing attributes/indexes itself) or an Unknown with a reason naming the reference ("var.admin_cidr has no value"). */
export interface ExpressionScope {
  reference(parts: (string | number)[]): Resolved;
  /**
   * The file a `file()`, `filebase64()` or `templatefile()` call names (relative to the root
   * module's folder, as Terraform reads it), or an Unknown that says why it is not read
   * (missing, outside the scanned folder, over the size limit). Without it, files are not read.
   */
  readFile?(path: string): ConfigurationFile | Unknown;
}

/** A file of the configuration that an expression reads. */
export interface ConfigurationFile {
  bytes: Buffer;
  /** The path as the user sees it (relative to the working directory). */
  shown: string;
}

interface Binding {
  name: string;
  value: Resolved;
  parent: Env;
}
export type Env = Binding | undefined;
/** The name under which a splat binds its current element (cannot clash with identifiers). */
export const ANON = "\u0000splat";

export function lookup(env: Env, name: string): { value: Resolved } | undefined {
  for (let b = env; b; b = b.parent) if (b.name === name) return { value: b.value };
  return undefined;
}

export function bind(env: Env, name: string, value: Resolved): Env {
  return { name, value, parent: env };
}

export const FILE_READERS = new Set(["file", "filebase64", "templatefile"]);

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text, or undefined when they are not UTF-8 (Terraform's file() refuses them). */
export function utf8Text(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * What a template file sees: the variables that templatefile() passes it (a template reads
 * nothing else: Terraform rejects any other name), and files through the outer scope.
 */
export function templateScope(vars: Resolved, label: string, outer: ExpressionScope): ExpressionScope {
  return {
    reference(parts) {
      const [name, ...rest] = parts.map(String);
      if (isMap(vars) && !hasKey(vars, name!)) return new Unknown(`${label} uses ${name}, which templatefile() does not pass to it (Terraform would fail)`);
      return getPath(vars, [name!, ...rest]);
    },
    ...(outer.readFile ? { readFile: (path: string) => outer.readFile!(path) } : {}),
  };
}

/** How many parts name the referenced object itself (the rest are attributes and indexes). */
export function referenceLength(keys: (string | number)[]): number {
  switch (keys[0]) {
    case "var":
    case "local":
    case "each":
    case "count":
    case "path":
    case "terraform":
    case "self":
      return 2;
    case "module":
      return 3;
    case "data":
      return typeof keys[3] === "number" ? 5 : 4;
    default:
      return typeof keys[2] === "number" ? 4 : 3;
  }
}
