/**
 * Creation stack traces of CDK constructs: where the user's own code made a construct.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export interface SourceFrame {
  /** Relative to the working directory when inside it. */
  file: string;
  line: number;
  column: number;
}

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

/** Library code: frames there are not the user's. */
function isLibrary(file: string): boolean {
  return /(^|[\\/])node_modules[\\/]/.test(file) || /^node:/.test(file) || /(^|[\\/])(aws-cdk-lib|constructs)[\\/]/.test(file) || file.startsWith("internal/");
}

/** The first frame of a trace that lies in the user's code, or undefined. */
export function sourceFrame(trace: readonly string[], cwd: string): SourceFrame | undefined {
  for (const line of trace) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    let file = m[1]!;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (isLibrary(file)) continue;
    const abs = isAbsolute(file) ? file : resolve(cwd, file);
    const rel = relative(cwd, abs);
    const shown = rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
    return { file: shown.split(sep).join("/"), line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
