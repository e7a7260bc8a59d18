/**
 * Creation stack traces of CDK constructs: where the user's own code made a construct.
 *
 * A trace line is a V8 stack frame, with or without its `at ` (CDK drops it in creation stacks):
 * `fn (location)`, `new Fn (location)`, `async fn (location)`, or a bare `location` for a frame without a
 * function name (ES-module top-level code). A location is a path or a `file://` URL (POSIX or Windows),
 * then `:line:column`. An `eval` frame (`eval (eval at fn (location), <anonymous>:1:1)`) is taken at the
 * place that called `eval`. Frames without a usable location (`<anonymous>`, `native`, `(:)`) and the
 * lines CDK folds library frames into (`...new Vpc2 in aws-cdk-lib...`) are passed over.
 */
import { posix, win32 } from "node:path";

export interface SourceFrame {
  /** Relative to the working directory when inside it. */
  file: string;
  line: number;
  column: number;
}

const LOCATION = /^(.+):(\d+):(\d+)$/;
const WINDOWS_PATH = /^(?:[A-Za-z]:[\\/]|\\\\)/;

/** Library code: frames there are not the user's. */
function isLibrary(file: string): boolean {
  return (
    /(^|[\\/])node_modules[\\/]/.test(file) ||
    /^node:/.test(file) ||
    file.startsWith("internal/") ||
    /(^|[\\/])aws-cdk-lib[\\/]/.test(file) ||
    /(^|[\\/])constructs[\\/]lib[\\/]/.test(file)
  );
}

/** The location part of a frame: inside its last parentheses, else the frame itself (after `at `). */
function frameLocation(frame: string): string {
  const text = frame.trim().replace(/^at\s+/, "");
  if (!text.endsWith(")")) return text;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ")") depth++;
    else if (text[i] === "(" && --depth === 0) return evalOrigin(text.slice(i + 1, -1));
  }
  return text;
}

/** `eval at fn (location), <anonymous>:1:1` → location (the code that called eval). */
function evalOrigin(location: string): string {
  const m = /^eval at .*?\((.+)\), [^,]*$/.exec(location);
  return m ? frameLocation(`(${m[1]!})`) : location;
}

/** A `file://` URL as a path (query and fragment dropped: tsx adds them); a path as is. */
function pathOf(file: string): string {
  if (!/^file:\/\//i.test(file)) return file;
  let url: URL;
  try {
    url = new URL(file);
  } catch {
    return file;
  }
  const path = decodeURIComponent(url.pathname);
  if (/^\/[A-Za-z]:\//.test(path)) return path.slice(1); // file:///C:/app/app.mjs → C:/app/app.mjs
  return url.host ? `//${url.host}${path}` : path; // file://server/share/app.mjs → //server/share/app.mjs
}

/**
 * The file shown: relative to `cwd` when inside it, with `/` separators. A Windows path is compared with a
 * Windows working directory only (an assembly made on Windows and linted elsewhere shows its absolute paths).
 */
function shownPath(file: string, cwd: string): string {
  const windowsFile = WINDOWS_PATH.test(file);
  const windowsCwd = WINDOWS_PATH.test(cwd);
  const absolute = windowsFile || posix.isAbsolute(file);
  if (absolute && windowsFile !== windowsCwd) return file.split("\\").join("/");
  const path = windowsCwd ? win32 : posix;
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  const shown = rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? abs : rel;
  return shown.split("\\").join("/");
}

/** The file, line and column a frame names, when it names one. */
export function parseFrame(frame: string): { file: string; line: number; column: number } | undefined {
  const m = LOCATION.exec(frameLocation(frame));
  if (!m) return undefined;
  const file = pathOf(m[1]!.trim());
  if (file === "" || /^<.*>$/.test(file)) return undefined;
  return { file, line: Number(m[2]), column: Number(m[3]) };
}

/** The first frame of a trace that lies in the user's code, or undefined. */
export function sourceFrame(trace: readonly string[], cwd: string): SourceFrame | undefined {
  for (const line of trace) {
    const frame = parseFrame(line);
    if (!frame || isLibrary(frame.file)) continue;
    return { ...frame, file: shownPath(frame.file, cwd) };
  }
  return undefined;
}
