/**
 * Baselines: the fingerprints of the findings a repository already has, so that a run
 * reports only new ones. Fingerprints hold no line numbers, so findings that only moved
 * stay recognised.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { decodeText } from "../source/decode.js";
import { checkedText } from "../source/read.js";
import { UsageError } from "../errors.js";
import type { Finding } from "../findings/finding.js";

export const BASELINE_VERSION = 1;

interface BaselineFile {
  version: number;
  tool: "parapet";
  fingerprints: string[];
}

export function writeBaseline(path: string, display: string, findings: readonly Finding[]): void {
  const data: BaselineFile = {
    version: BASELINE_VERSION,
    tool: "parapet",
    fingerprints: [...new Set(findings.map((f) => f.fingerprint))].sort(),
  };
  try {
    writeFileSync(path, JSON.stringify(data, null, 2) + "\n");
  } catch (e) {
    throw new UsageError(`--write-baseline ${display}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function readBaseline(path: string, display: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(checkedText(decodeText(readFileSync(path))));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--baseline ${display}: ${code === "ENOENT" ? "file not found" : `not a baseline file (${(e as Error).message.split("\n")[0]})`}`);
  }
  const file = data as Partial<BaselineFile> | null;
  if (!file || file.tool !== "parapet" || file.version !== BASELINE_VERSION || !Array.isArray(file.fingerprints)) {
    throw new UsageError(`--baseline ${display}: not a parapet baseline (version ${BASELINE_VERSION}); write one with --write-baseline`);
  }
  return new Set(file.fingerprints.map(String));
}

/** The findings whose fingerprints the baseline does not hold. */
export function newFindings(findings: readonly Finding[], baseline: ReadonlySet<string>): Finding[] {
  return findings.filter((f) => !baseline.has(f.fingerprint));
}
