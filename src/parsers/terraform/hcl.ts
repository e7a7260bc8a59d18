/**
 * The HCL reader, `@cdktf/hcl2json`, loaded on first use only: importing it instantiates a
 * WebAssembly Go runtime (~120 ms, ~110 MB), which a CloudFormation-only run never pays for.
 */
import type { TFExpressionSyntaxTree } from "@cdktf/hcl2json";

export type ExpressionAst = TFExpressionSyntaxTree.ExpressionType;

type Hcl2Json = typeof import("@cdktf/hcl2json");
let loaded: Promise<Hcl2Json> | undefined;

/**
 * V8 flag set before the reader's WebAssembly is compiled: run it on the baseline compiler
 * (Liftoff) only. By default V8 recompiles the Go runtime's hot functions with its optimizing
 * compiler; for parapet's use of the reader (a few hundred to a few thousand short calls) that
 * recompiling costs more CPU than it saves: `examples/terraform` took 1.4 s of CPU with it and
 * 0.4 s without, and the benchmark's large `.tf` file and 100 modules less time too
 * (docs/performance.md). The flag is the process's (and its worker threads'), and only
 * WebAssembly reads it; parapet runs no other WebAssembly.
 */
const WASM_FLAGS = "--liftoff-only";

export function hcl2json(): Promise<Hcl2Json> {
  // node:v8 itself takes a few milliseconds to load: only runs that read HCL load it.
  loaded ??= import("node:v8").then((v8) => {
    v8.setFlagsFromString(WASM_FLAGS);
    return import("@cdktf/hcl2json");
  });
  return loaded;
}

/** True once a Terraform file made parapet load the HCL reader (for tests of lazy loading). */
export function hclLoaded(): boolean {
  return loaded !== undefined;
}
