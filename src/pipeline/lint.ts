/**
 * The pipeline: discover → parse → adapt → graph → evaluate → report data.
 */
import { readFileSync } from "node:fs";
import { compareFindings, type Finding } from "../findings/finding.js";
import { fingerprint } from "../findings/fingerprint.js";
import { ResourceGraph } from "../graph/graph.js";
import { linkScope } from "../graph/link.js";
import { discover, type InputFile } from "../discovery/discover.js";
import { CLOUDFORMATION_KINDS } from "../parsers/cloudformation/adapters.js";
import { loadTemplate, mayBeTemplate } from "../parsers/cloudformation/template.js";
import type { Diagnostic } from "../parsers/cloudformation/source.js";
import { runRules } from "../rules/engine.js";
import type { Rule } from "../rules/rule.js";

export interface LintOptions {
  paths: string[];
  cwd: string;
  rules: Rule[];
  /** CloudFormation parameter values. */
  parameters?: Record<string, string>;
}

export interface LintOutcome {
  findings: Finding[];
  files: string[];
  notes: string[];
}

export function parseErrorFinding(file: string, d: Diagnostic): Finding {
  return {
    ruleId: "parse-error",
    severity: "high",
    kind: "fail",
    message: d.message,
    file,
    position: { line: d.line, column: d.column, endLine: d.line, endColumn: d.column },
    address: "",
    fingerprint: fingerprint("parse-error", file, "", d.message),
  };
}

export interface FileOutcome {
  /** False when the file is not a template (it is then not reported as linted). */
  linted: boolean;
  findings: Finding[];
  note?: string;
}

/** Lints one file's text on its own (a CloudFormation template is one deployment). */
export function lintText(file: InputFile, text: string, options: Pick<LintOptions, "rules" | "parameters">): FileOutcome {
  if (!mayBeTemplate(text)) {
    return { linted: false, findings: [], ...(file.explicit ? { note: `${file.path}: not a CloudFormation template (no AWSTemplateFormatVersion and no Resources with an AWS:: or Custom:: Type); skipped` } : {}) };
  }
  const result = loadTemplate(file.path, file.absolutePath, text, { parameters: options.parameters ?? {} });
  if (!result.isTemplate) {
    return { linted: false, findings: [], ...(file.explicit ? { note: `${file.path}: not a CloudFormation template; skipped` } : {}) };
  }
  const findings = result.diagnostics.map((d) => parseErrorFinding(file.path, d));
  if (result.nodes.length > 0) {
    const graph = new ResourceGraph();
    for (const node of result.nodes) graph.addNode(node);
    linkScope(graph, result.nodes, CLOUDFORMATION_KINDS);
    findings.push(...runRules(graph, options.rules));
  }
  return { linted: true, findings };
}

function readText(file: InputFile): string | Diagnostic {
  try {
    const buf = readFileSync(file.absolutePath);
    return buf.toString("utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a folder" : code ?? (e as Error).message;
    return { message: `cannot read file: ${why}`, line: 1, column: 1 };
  }
}

export async function lint(options: LintOptions): Promise<LintOutcome> {
  const inputs = await discover(options.paths, options.cwd);
  const findings: Finding[] = [];
  const files: string[] = [];
  const notes: string[] = [];
  for (const file of inputs) {
    const text = readText(file);
    if (typeof text !== "string") {
      findings.push(parseErrorFinding(file.path, text));
      files.push(file.path);
      continue;
    }
    const outcome = lintText(file, text, options);
    if (outcome.linted) files.push(file.path);
    if (outcome.note) notes.push(outcome.note);
    findings.push(...outcome.findings);
  }
  findings.sort(compareFindings);
  return { findings, files, notes };
}
