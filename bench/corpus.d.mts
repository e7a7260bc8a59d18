/** Types of bench/corpus.mjs, for the tests written in TypeScript. */
export declare const SMALL_RESOURCES: number;
export declare const BIG_RESOURCES: number;
export declare const TF_LARGE_GROUPS: number;
export interface CorpusSizes {
  yaml: number;
  json: number;
  bigResources: number;
  tfModules: number;
  tfLarge: number;
  growth: number;
}
export declare const SIZES: { full: CorpusSizes; quick: CorpusSizes };
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  hex(length: number): string;
}
export declare function createRandom(seed: number, key?: string): Random;
export type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> } & Record<string, unknown>;
export declare function smallTemplate(seed: number, index: number): Template;
export declare function bigTemplate(seed: number, resources?: number): Template;
export declare function toYaml(template: unknown, options?: { flow?: boolean }): string;
export declare function toJson(template: unknown): string;
export declare function terraformModule(seed: number, index: number): string;
export declare function terraformLarge(seed: number, index: number, groups?: number): string;
export interface CorpusSet {
  path: string;
  files: number;
  bytes: number;
  resources?: number;
  key: string;
}
export interface Manifest {
  seed: number;
  quick: boolean;
  sets: Record<"small" | "yaml" | "json" | "big" | "tfModules" | "tfLarge", CorpusSet> & { growth?: CorpusSet };
}
export declare function generateCorpus(root: string, options?: { seed?: number; quick?: boolean; growth?: boolean }): Manifest;
