import { describe, expect, it } from "vitest";
import type { Finding, Severity } from "../../src/findings/finding.js";
import { PARSE_ERROR_RULE } from "../../src/findings/parse-error.js";
import { artifactLocation, fileUri, formatSarif, pascalCase, relativeUri, toSarifLog } from "../../src/reporters/sarif.js";
import { compileSarifSchema } from "./sarif-schema.js";
import {
  EBS_REVIEW,
  EBS_RULE,
  PARSE_ERROR_FINDING,
  PROFILE_FINDING,
  PROFILE_RULE,
  groupedResult,
  sampleResult,
  SSH_FINDING,
  SSH_RULE,
  SUPPRESSED_FINDING,
  TRAIL_RULE,
} from "./sample-result.js";

/** The log read back as plain JSON. */
type Json = any;

const validate = compileSarifSchema();
const BASE = "file:///home/dev/project/";

/** `baseUri` null: no base URI passed. */
function logOf(result = sampleResult(), baseUri: string | null = BASE): Json {
  return JSON.parse(formatSarif(result, baseUri === null ? { color: false } : { color: false, baseUri }));
}

function expectValid(log: Json): void {
  const ok = validate(log);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

function resultFor(log: Json, finding: Finding): Json {
  return log.runs[0].results.find((r: Json) => r.ruleId === finding.ruleId && r.partialFingerprints["parapet/v1"] === finding.fingerprint);
}

describe("sarif reporter", () => {
  const log = logOf();
  const run = log.runs[0];
  const rules = run.tool.driver.rules;

  it("is valid against the official SARIF 2.1.0 schema", () => {
    expectValid(log);
    expectValid(logOf(sampleResult(), null));
    expectValid(logOf(sampleResult({ findings: [], notes: [] })));
  });

  it("the schema check catches an invalid log", () => {
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = "fatal";
    delete broken.runs[0].tool.driver.name;
    expect(validate(broken)).toBe(false);
    const badUri = structuredClone(log);
    badUri.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "a b.yaml";
    expect(validate(badUri), "formats are checked").toBe(false);
  });

  it("writes one run of parapet with $schema and version", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: "parapet", version: "0.1.0" });
    expect(run.tool.driver.informationUri).toBeUndefined();
  });

  it("lists every rule that ran with complete metadata, plus parse-error when it is used", () => {
    expect(rules.map((r: Json) => r.id)).toEqual([SSH_RULE.id, EBS_RULE.id, PROFILE_RULE.id, TRAIL_RULE.id, "parse-error"]);
    const ssh = rules[0];
    expect(ssh).toEqual({
      id: "sg-no-ssh-from-internet",
      name: "SgNoSshFromInternet",
      shortDescription: { text: SSH_RULE.title },
      fullDescription: { text: SSH_RULE.description },
      help: {
        text: expect.stringContaining(SSH_RULE.rationale),
        markdown: expect.stringContaining(SSH_RULE.remediation),
      },
      helpUri: SSH_RULE.help_uri,
      defaultConfiguration: { level: "error" },
      properties: {
        "security-severity": "8.0",
        tags: ["security", "infrastructure-protection"],
        precision: "high",
        "problem.severity": "error",
      },
    });
    expect(ssh.help.text).toContain(SSH_RULE.remediation);
    expect(ssh.help.markdown).toContain(SSH_RULE.rationale);
    expect(ssh.help.markdown).toContain("cis-aws-foundations: 5.2");
    expect(rules[1].helpUri).toBeUndefined();
    const parse = rules[4];
    expect(parse).toMatchObject({
      id: "parse-error",
      name: "ParseError",
      shortDescription: { text: "Template could not be read" },
      fullDescription: { text: PARSE_ERROR_RULE.description },
    });
  });

  it("leaves parse-error out of the rules when no finding uses it and never lists a rule twice", () => {
    const without = logOf(sampleResult({ findings: [SSH_FINDING] }));
    expect(without.runs[0].tool.driver.rules.map((r: Json) => r.id)).not.toContain("parse-error");
    const twice = logOf(sampleResult({ rules: [SSH_RULE, SSH_RULE, PARSE_ERROR_RULE] }));
    expect(twice.runs[0].tool.driver.rules.map((r: Json) => r.id)).toEqual([SSH_RULE.id, "parse-error"]);
  });

  it("maps severities to a numeric security-severity and levels", () => {
    const expected: Record<Severity, [string, string]> = {
      critical: ["9.5", "error"],
      high: ["8.0", "error"],
      medium: ["5.5", "warning"],
      low: ["3.0", "note"],
      info: ["1.0", "note"],
    };
    for (const [severity, [score, level]] of Object.entries(expected)) {
      const one = logOf(sampleResult({ rules: [{ ...SSH_RULE, severity: severity as Severity }], findings: [] }));
      const rule = one.runs[0].tool.driver.rules[0];
      expect(rule.properties["security-severity"]).toBe(score);
      expect(Number.isFinite(Number(rule.properties["security-severity"]))).toBe(true);
      expect(rule.defaultConfiguration.level).toBe(level);
    }
  });

  it("writes a result per finding with ruleId, ruleIndex, kind, level and message", () => {
    expect(run.results).toHaveLength(5);
    for (const r of run.results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(resultFor(log, SSH_FINDING)).toMatchObject({
      ruleId: "sg-no-ssh-from-internet",
      kind: "fail",
      level: "error",
      message: { text: SSH_FINDING.message },
    });
    expect(resultFor(log, PROFILE_FINDING)).toMatchObject({ kind: "fail", level: "warning" });
    expect(resultFor(log, PARSE_ERROR_FINDING)).toMatchObject({ ruleId: "parse-error", kind: "fail", level: "error" });
  });

  it("writes review findings as kind review with level none and the reason", () => {
    const review = resultFor(log, EBS_REVIEW);
    expect(review.kind).toBe("review");
    expect(review.level).toBe("none");
    expect(review.properties).toEqual({
      reason: "parameter EncryptVolumes has no default",
      format: "cloudformation",
      resourceType: "AWS::EC2::Volume",
      propertyPath: "Properties.Encrypted",
    });
  });

  it("points at the file relative to %SRCROOT% and names the resource as a logical location", () => {
    const ssh = resultFor(log, SSH_FINDING);
    expect(ssh.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "templates/web.yaml", uriBaseId: "%SRCROOT%" },
          region: { startLine: 11, startColumn: 11, endLine: 11, endColumn: 28 },
        },
        logicalLocations: [{ fullyQualifiedName: "WebSecurityGroup", kind: "resource" }],
      },
    ]);
    const trail = resultFor(log, SUPPRESSED_FINDING);
    expect(trail.locations[0].logicalLocations).toEqual([
      { fullyQualifiedName: "module.audit.aws_cloudtrail.this", kind: "resource" },
    ]);
    expect(resultFor(log, PARSE_ERROR_FINDING).locations[0].logicalLocations).toBeUndefined();
  });

  it("gives %SRCROOT% the base URI only when one is passed", () => {
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: BASE } });
    expect(logOf(sampleResult(), "file:///home/dev/project").runs[0].originalUriBaseIds["%SRCROOT%"].uri).toBe(BASE);
    expect(logOf(sampleResult(), null).runs[0].originalUriBaseIds).toBeUndefined();
  });

  it("carries the fingerprint as a partial fingerprint", () => {
    for (const finding of sampleResult().findings) {
      expect(resultFor(log, finding).partialFingerprints).toEqual({ "parapet/v1": finding.fingerprint });
    }
  });

  it("keeps suppressed findings with their suppressions and marks no other", () => {
    expect(resultFor(log, SUPPRESSED_FINDING).suppressions).toEqual([
      { kind: "inSource", status: "accepted", justification: "Single-region account by design" },
    ]);
    const external = logOf(
      sampleResult({ findings: [{ ...SSH_FINDING, suppressions: [{ kind: "external", justification: "baseline" }] }] }),
    );
    expectValid(external);
    expect(external.runs[0].results[0].suppressions).toEqual([{ kind: "external", status: "accepted", justification: "baseline" }]);
    for (const r of run.results) if (r.ruleId !== SUPPRESSED_FINDING.ruleId) expect(r.suppressions).toBeUndefined();
  });

  it("puts notes into a tool execution notification of the invocation, with the working directory", () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        workingDirectory: { uri: BASE },
        toolExecutionNotifications: [{ level: "note", message: { text: "skipped templates/notes.txt: not a template" } }],
      },
    ]);
    expect(logOf(sampleResult({ notes: [] })).runs[0].invocations).toEqual([{ executionSuccessful: true, workingDirectory: { uri: BASE } }]);
    expect(logOf(sampleResult({ notes: [] }), null).runs[0].invocations).toBeUndefined();
    expect(logOf(sampleResult(), null).runs[0].invocations[0].workingDirectory).toBeUndefined();
  });

  it("escapes paths into valid relative URI references", () => {
    expect(relativeUri("my templates/a#b%c.yaml")).toBe("my%20templates/a%23b%25c.yaml");
    expect(relativeUri("c:weird/x.yaml")).toBe("c%3Aweird/x.yaml");
    const odd = logOf(sampleResult({ findings: [{ ...SSH_FINDING, file: "my templates/ünï #1.yaml" }] }));
    expectValid(odd);
    expect(odd.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "my%20templates/%C3%BCn%C3%AF%20%231.yaml",
    );
  });

  it("writes a file outside the working directory as an absolute file URI without a base id", () => {
    // [display path, artifact location]: display paths are relative inside the working
    // directory, absolute outside it (POSIX, Windows drive, UNC, as displayPath and CDK traces give them).
    const table: [string, { uri: string; uriBaseId?: string }][] = [
      ["templates/web.yaml", { uri: "templates/web.yaml", uriBaseId: "%SRCROOT%" }],
      [".", { uri: ".", uriBaseId: "%SRCROOT%" }],
      ["c:weird/x.yaml", { uri: "c%3Aweird/x.yaml", uriBaseId: "%SRCROOT%" }],
      ["/tmp/other/stack.yaml", { uri: "file:///tmp/other/stack.yaml" }],
      ["/srv/my infra/#1 100%/ünï.yaml", { uri: "file:///srv/my%20infra/%231%20100%25/%C3%BCn%C3%AF.yaml" }],
      ["/srv/a:b/c?d.json", { uri: "file:///srv/a%3Ab/c%3Fd.json" }],
      ["/", { uri: "file:///" }],
      ["C:/Users/dev/my stack.yaml", { uri: "file:///C:/Users/dev/my%20stack.yaml" }],
      ["d:/x.tf", { uri: "file:///d:/x.tf" }],
      ["C:", { uri: "file:///C:/" }],
      ["//fileserver/share/infra/x.yaml", { uri: "file://fileserver/share/infra/x.yaml" }],
      ["//?/C:/very/long/x.yaml", { uri: "file:///C:/very/long/x.yaml" }],
      ["//?/UNC/fileserver/share/x.yaml", { uri: "file://fileserver/share/x.yaml" }],
      ["/tmp/\ud800lone.yaml", { uri: "file:///tmp/%EF%BF%BDlone.yaml" }],
    ];
    for (const [file, location] of table) expect(artifactLocation(file), file).toEqual(location);
    for (const [file, location] of table) expect(fileUri(file), file).toBe(location.uriBaseId ? undefined : location.uri);
    // Every absolute URI names the file again when read back as a URL.
    expect(decodeURIComponent(new URL(fileUri("/srv/my infra/#1 100%/ünï.yaml")!).pathname)).toBe("/srv/my infra/#1 100%/ünï.yaml");
  });

  it("uses the same URIs for results, related locations and other findings of one problem", () => {
    const outside = "/tmp/outside dir/web.yaml";
    const related = { file: "/tmp/outside dir/app.mjs", line: 3, column: 1, message: "created here" };
    const one = logOf(
      groupedResult({
        findings: groupedResult().findings.map((f) => (f.file === SSH_FINDING.file ? { ...f, file: outside, related: [related] } : f)),
      }),
    );
    expectValid(one);
    const results = one.runs[0].results.filter((r: Json) => r.ruleId.startsWith("sg-"));
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "file:///tmp/outside%20dir/web.yaml" });
      const locations = r.relatedLocations.map((l: Json) => l.physicalLocation.artifactLocation);
      expect(locations).toEqual([{ uri: "file:///tmp/outside%20dir/app.mjs" }, { uri: "file:///tmp/outside%20dir/web.yaml" }]);
    }
    const inside = one.runs[0].results.find((r: Json) => r.ruleId === PROFILE_FINDING.ruleId);
    expect(inside.locations[0].physicalLocation.artifactLocation).toEqual({ uri: "infra/main.tf", uriBaseId: "%SRCROOT%" });
  });

  it("drops an end position that does not follow the start", () => {
    const bad = logOf(
      sampleResult({ findings: [{ ...SSH_FINDING, position: { line: 5, column: 3, endLine: 4, endColumn: 0 } }] }),
    );
    expectValid(bad);
    expect(bad.runs[0].results[0].locations[0].physicalLocation.region).toEqual({ startLine: 5, startColumn: 3 });
    const empty = logOf(
      sampleResult({ findings: [{ ...SSH_FINDING, position: { line: 5, column: 3, endLine: 5, endColumn: 3 } }] }),
    );
    expect(empty.runs[0].results[0].locations[0].physicalLocation.region).toEqual({
      startLine: 5,
      startColumn: 3,
      endLine: 5,
      endColumn: 3,
    });
  });

  it("leaves ruleIndex out for a finding whose rule has no metadata", () => {
    const unknown = logOf(sampleResult({ findings: [{ ...SSH_FINDING, ruleId: "custom-rule" }] }));
    expectValid(unknown);
    expect(unknown.runs[0].results[0].ruleId).toBe("custom-rule");
    expect(unknown.runs[0].results[0].ruleIndex).toBeUndefined();
  });

  it("names rules in PascalCase", () => {
    expect(pascalCase("sg-no-ssh-from-internet")).toBe("SgNoSshFromInternet");
    expect(pascalCase("ec2_imdsv2.required")).toBe("Ec2Imdsv2Required");
  });

  it("escapes message text through JSON, not by hand", () => {
    const quoted = logOf(sampleResult({ findings: [{ ...SSH_FINDING, message: 'say "hi"\n\\ </script> \u2028' }] }));
    expect(quoted.runs[0].results[0].message.text).toBe('say "hi"\n\\ </script> \u2028');
  });

  it("is a pure function of its input", () => {
    const result = sampleResult();
    const before = structuredClone(result);
    expect(formatSarif(result, { color: true, baseUri: BASE })).toBe(formatSarif(result, { color: false, baseUri: BASE }));
    expect(result).toEqual(before);
    expect(toSarifLog(result, {})).toEqual(logOf(result, null));
  });
});
