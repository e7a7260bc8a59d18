/**
 * `--format junit`: JUnit XML for CI test dashboards. Each rule that ran is a `<testsuite>`
 * named by its id; each resource a rule reported on is a `<testcase>` in it (classname = the
 * file, name = the resource address, or the file itself for file-level findings such as parse
 * errors). A test case fails when it has an unsuppressed failing finding and is skipped when
 * all its findings are to review or suppressed. A rule without findings gets one passing test
 * case named `no findings`, so the dashboard shows that it ran.
 */
import { compareFindings, severityRank, type Finding } from "../findings/finding.js";
import type { LintResult, ReportOptions } from "./report.js";
import { isSuppressed } from "./summary.js";
import { rootSuffix } from "../findings/terraform-root.js";

interface TestCase {
  file: string;
  name: string;
  line: number;
  findings: Finding[];
}

interface Suite {
  ruleId: string;
  cases: Map<string, TestCase>;
}

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
}

export function formatJunit(result: LintResult, _options: ReportOptions): string {
  const suites = new Map<string, Suite>();
  const suiteOf = (ruleId: string): Suite => {
    let suite = suites.get(ruleId);
    if (!suite) suites.set(ruleId, (suite = { ruleId, cases: new Map() }));
    return suite;
  };
  for (const rule of result.rules) suiteOf(rule.id);
  for (const f of [...result.findings].sort(compareFindings)) {
    const cases = suiteOf(f.ruleId).cases;
    const name = (f.address === "" ? f.file : f.address) + rootSuffix(f);
    // A NUL cannot occur in a path or an address, so it separates the two unambiguously.
    const key = `${f.file}\u0000${name}`;
    const testCase = cases.get(key);
    if (testCase) testCase.findings.push(f);
    else cases.set(key, { file: f.file, name, line: f.position.line, findings: [f] });
  }

  const total: Counts = { tests: 0, failures: 0, skipped: 0 };
  const body: string[] = [];
  for (const suite of suites.values()) {
    const counts: Counts = { tests: 0, failures: 0, skipped: 0 };
    const cases: string[] = [];
    for (const testCase of suite.cases.values()) {
      const { xml, outcome } = renderCase(testCase);
      counts.tests++;
      if (outcome === "failure") counts.failures++;
      if (outcome === "skipped") counts.skipped++;
      cases.push(xml);
    }
    if (cases.length === 0) {
      counts.tests = 1;
      cases.push(`    <testcase classname=${attr(suite.ruleId)} name="no findings"/>`);
    }
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.skipped += counts.skipped;
    body.push(`  <testsuite name=${attr(suite.ruleId)} ${countAttrs(counts)}>`, ...cases, "  </testsuite>");
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="parapet" ${countAttrs(total)}>`,
    ...body,
    "</testsuites>",
    "",
  ].join("\n");
}

function countAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}"`;
}

function renderCase(testCase: TestCase): { xml: string; outcome: "failure" | "skipped" } {
  const failing = testCase.findings.filter((f) => f.kind === "fail" && !isSuppressed(f));
  const open = `    <testcase classname=${attr(testCase.file)} name=${attr(testCase.name)} file=${attr(testCase.file)} line="${Math.max(1, Math.trunc(testCase.line) || 1)}">`;
  const details = text(testCase.findings.map(detailLine).join("\n"));
  if (failing.length > 0) {
    const worst = failing.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
    const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : "";
    const failure = `      <failure message=${attr(worst.message + more)} type=${attr(worst.severity)}>${details}</failure>`;
    return { xml: [open, failure, "    </testcase>"].join("\n"), outcome: "failure" };
  }
  const first = testCase.findings[0]!;
  const skipped = `      <skipped message=${attr(skipReason(first))}>${details}</skipped>`;
  return { xml: [open, skipped, "    </testcase>"].join("\n"), outcome: "skipped" };
}

/** Why a finding does not fail the test case: its suppression, or why it is undecided. */
function skipReason(f: Finding): string {
  const suppression = f.suppressions?.[0];
  if (suppression) return `suppressed (${suppression.kind}): ${suppression.justification} - ${f.message}`;
  return f.reason ? `to review: ${f.message} (undecided: ${f.reason})` : `to review: ${f.message}`;
}

/** One finding of a test case, for the element's text: `file:line:col severity: message`. */
function detailLine(f: Finding): string {
  const status = isSuppressed(f) ? "suppressed" : f.kind === "review" ? "review" : f.severity;
  const reason = f.kind === "review" && f.reason ? ` (undecided: ${f.reason})` : "";
  return `${f.file}:${f.position.line}:${f.position.column} ${status}: ${f.message}${reason}`;
}

// Characters XML 1.0 does not allow anywhere, even as character references: C0 controls other
// than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. They are dropped.
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Element content. `>` is escaped too, so `]]>` in a message cannot appear. */
function text(value: string): string {
  return value.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A quoted attribute value. Tabs and line breaks become character references, because a
 * parser normalises literal ones in attributes to spaces.
 */
function attr(value: string): string {
  const escaped = text(value)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
  return `"${escaped}"`;
}
