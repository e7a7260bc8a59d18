/**
 * The HCL reader, `@cdktf/hcl2json`, loaded on first use only: importing it instantiates a
 * WebAssembly Go runtime (~120 ms, ~110 MB), which a CloudFormation-only run never pays for.
 */
import type { TFExpressionSyntaxTree } from "@cdktf/hcl2json";

export type ExpressionAst = TFExpressionSyntaxTree.ExpressionType;

type Hcl2Json = typeof import("@cdktf/hcl2json");
let loaded: Promise<Hcl2Json> | undefined;

export function hcl2json(): Promise<Hcl2Json> {
  loaded ??= import("@cdktf/hcl2json");
  return loaded;
}

/** True once a Terraform file made parapet load the HCL reader (for tests of lazy loading). */
export function hclLoaded(): boolean {
  return loaded !== undefined;
}
