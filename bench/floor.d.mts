/** Types of bench/floor.mjs, for the tests written in TypeScript. */
export declare function listFiles(paths: string[]): string[];
export declare function parseFile(path: string): Promise<number>;
export declare function parseAll(paths: string[]): Promise<{ files: number; bytes: number }>;
