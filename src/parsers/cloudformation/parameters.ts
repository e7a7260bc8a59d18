/**
 * Parameter values for CloudFormation templates: `--param Key=Value` and parameter files
 * in either of the two shapes the AWS tools write:
 * `[{"ParameterKey": "K", "ParameterValue": "V"}]` (CLI `--parameters`) and
 * `{"Parameters": {"K": "V"}}` (CodePipeline template configuration).
 */
import { readFileSync } from "node:fs";
import { decodeText } from "../../source/decode.js";
import { checkedText, EncodingError } from "../../source/read.js";
import { UsageError } from "../../errors.js";
import { emptyMap } from "../../values/value.js";

export function parseParamAssignment(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--param expects Key=Value, got "${text}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function scalarText(v: unknown, where: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.join(",");
  throw new UsageError(`${where}: parameter values must be strings, numbers or lists of them`);
}

/** Reads a parameter file; throws a UsageError that names the file when its shape is wrong. */
export function readParameterFile(path: string, display = path): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(checkedText(decodeText(readFileSync(path))));
  } catch (e) {
    // V8 quotes the offending text after the reason, across lines; the message must stay on one line.
    const reason = (e as Error).message.replace(/, (\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, "");
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : e instanceof SyntaxError ? `invalid JSON: ${reason}` : reason;
    throw new UsageError(`parameter file ${display}${e instanceof EncodingError ? `:${e.line}:${e.column}` : ""}: ${why}`);
  }
  return parameterValues(data, display);
}

export function parameterValues(data: unknown, where: string): Record<string, string> {
  const out = emptyMap<string>();
  if (Array.isArray(data)) {
    data.forEach((entry, i) => {
      const e = entry as Record<string, unknown> | null;
      // `UsePreviousValue` keeps the deployed value, which an offline linter cannot know: leave it unset.
      if (e && typeof e === "object" && typeof e["ParameterKey"] === "string" && e["UsePreviousValue"] === true && !("ParameterValue" in e)) return;
      if (!e || typeof e !== "object" || typeof e["ParameterKey"] !== "string" || !("ParameterValue" in e)) {
        throw new UsageError(`${where}: entry ${i + 1} needs "ParameterKey" and "ParameterValue"`);
      }
      out[e["ParameterKey"]] = scalarText(e["ParameterValue"], where);
    });
    return out;
  }
  const params = data && typeof data === "object" ? (data as Record<string, unknown>)["Parameters"] : undefined;
  if (params && typeof params === "object" && !Array.isArray(params)) {
    for (const [k, v] of Object.entries(params)) out[k] = scalarText(v, where);
    return out;
  }
  throw new UsageError(
    `${where}: expected [{"ParameterKey": ..., "ParameterValue": ...}] or {"Parameters": {...}}`,
  );
}
