import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { FORMATS, getReporter } from "../../src/reporters/index.js";
import type { Finding } from "../../src/findings/finding.js";
import { formatJunit } from "../../src/reporters/junit.js";
import {
  EBS_REVIEW,
  PARSE_ERROR_FINDING,
  sampleResult,
  SSH_FINDING,
  SUPPRESSED_FINDING,
} from "./sample-result.js";

interface TestCase {
  "@_classname": string;
  "@_name": string;
  failure?: { "@_message": string; "@_type": string; "#text"?: string };
  skipped?: { "@_message": string; "#text"?: string };
}
interface Suite {
  "@_name": string;
  "@_tests": string;
  "@_failures": string;
  "@_skipped": string;
  testcase: TestCase[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === "testsuite" || name === "testcase",
});

function parse(xml: string): { "@_tests": string; "@_failures": string; "@_skipped": string; testsuite: Suite[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml).testsuites;
}

function suite(root: ReturnType<typeof parse>, name: string): Suite {
  const found = root.testsuite.find((s) => s["@_name"] === name);
  expect(found, name).toBeDefined();
  return found!;
}

describe("junit reporter", () => {
  const xml = formatJunit(sampleResult(), { color: false });
  const root = parse(xml);

  it("starts with the XML declaration and parses as XML", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  });

  it("has one suite per rule that ran, plus one for parse errors, named by rule id", () => {
    expect(root.testsuite.map((s) => s["@_name"])).toEqual([
      "sg-no-ssh-from-internet",
      "ebs-volume-encrypted",
      "ec2-instance-profile-attached",
      "cloudtrail-multi-region",
      "parse-error",
    ]);
  });

  it("fails the test case of a failing finding, with the severity as type", () => {
    const ssh = suite(root, "sg-no-ssh-from-internet");
    expect(ssh).toMatchObject({ "@_tests": "1", "@_failures": "1", "@_skipped": "0" });
    expect(ssh.testcase).toHaveLength(1);
    const testCase = ssh.testcase[0]!;
    expect(testCase["@_classname"]).toBe("templates/web.yaml");
    expect(testCase["@_name"]).toBe("WebSecurityGroup");
    expect(testCase.failure).toMatchObject({ "@_message": SSH_FINDING.message, "@_type": "high" });
    expect(testCase.failure!["#text"]).toContain("templates/web.yaml:11:11");
    expect(testCase.skipped).toBeUndefined();
  });

  it("skips review findings with the reason and suppressed ones with the justification", () => {
    const review = suite(root, "ebs-volume-encrypted");
    expect(review).toMatchObject({ "@_tests": "1", "@_failures": "0", "@_skipped": "1" });
    expect(review.testcase[0]!.skipped!["@_message"]).toContain(EBS_REVIEW.reason);
    expect(review.testcase[0]!.failure).toBeUndefined();

    const suppressed = suite(root, "cloudtrail-multi-region");
    expect(suppressed).toMatchObject({ "@_tests": "1", "@_failures": "0", "@_skipped": "1" });
    expect(suppressed.testcase[0]!["@_name"]).toBe(SUPPRESSED_FINDING.address);
    expect(suppressed.testcase[0]!.skipped!["@_message"]).toContain("Single-region account by design");
  });

  it("names a file-level finding's test case after the file", () => {
    const parse = suite(root, "parse-error");
    expect(parse.testcase[0]).toMatchObject({ "@_classname": PARSE_ERROR_FINDING.file, "@_name": PARSE_ERROR_FINDING.file });
    expect(parse.testcase[0]!.failure!["@_message"]).toBe(PARSE_ERROR_FINDING.message);
  });

  it("counts tests, failures and skipped on the root as the sum of the suites", () => {
    expect(root).toMatchObject({ "@_tests": "5", "@_failures": "3", "@_skipped": "2" });
    const sum = (key: "@_tests" | "@_failures" | "@_skipped") => root.testsuite.reduce((n, s) => n + Number(s[key]), 0);
    expect([sum("@_tests"), sum("@_failures"), sum("@_skipped")]).toEqual([5, 3, 2]);
  });

  it("gives a rule without findings one passing test case named `no findings`", () => {
    const quiet = parse(formatJunit(sampleResult({ findings: [SSH_FINDING] }), { color: false }));
    const ebs = suite(quiet, "ebs-volume-encrypted");
    expect(ebs).toMatchObject({ "@_tests": "1", "@_failures": "0", "@_skipped": "0" });
    expect(ebs.testcase).toHaveLength(1);
    expect(ebs.testcase[0]!["@_name"]).toBe("no findings");
    expect(ebs.testcase[0]!.failure).toBeUndefined();
    expect(ebs.testcase[0]!.skipped).toBeUndefined();
    expect(quiet).toMatchObject({ "@_tests": "4", "@_failures": "1", "@_skipped": "0" });
  });

  it("puts several findings of one rule on one resource in one test case that fails if any fails", () => {
    const second: Finding = { ...SSH_FINDING, position: { line: 20, column: 11, endLine: 20, endColumn: 20 }, severity: "critical", message: "second rule" };
    const reviewed: Finding = { ...SSH_FINDING, kind: "review", reason: "unknown port", position: { line: 30, column: 1, endLine: 30, endColumn: 2 } };
    const out = parse(formatJunit(sampleResult({ findings: [SSH_FINDING, second, reviewed] }), { color: false }));
    const ssh = suite(out, "sg-no-ssh-from-internet");
    expect(ssh).toMatchObject({ "@_tests": "1", "@_failures": "1", "@_skipped": "0" });
    expect(ssh.testcase[0]!.failure).toMatchObject({ "@_message": "second rule (and 1 more)", "@_type": "critical" });
    expect(ssh.testcase[0]!.failure!["#text"]!.split("\n")).toHaveLength(3);
  });

  it("escapes markup characters and drops control characters XML 1.0 forbids", () => {
    const nasty: Finding = {
      ...SSH_FINDING,
      address: `Sg<"&'>`,
      file: "a&b/<c>.yaml",
      message: `Opens <&>"' to all\u0001\u0008\u000b\u000c\u001f\ufffe and ]]> too\nsecond line\ttabbed`,
    };
    const text = formatJunit(sampleResult({ findings: [nasty] }), { color: false });
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(text).not.toContain("]]>");
    const testCase = suite(parse(text), "sg-no-ssh-from-internet").testcase[0]!;
    expect(testCase["@_name"]).toBe(`Sg<"&'>`);
    expect(testCase["@_classname"]).toBe("a&b/<c>.yaml");
    expect(testCase.failure!["@_message"]).toBe(`Opens <&>"' to all and ]]> too\nsecond line\ttabbed`);
    expect(testCase.failure!["#text"]).toContain(`Opens <&>"' to all and ]]> too\nsecond line\ttabbed`);
  });

  it("is valid for an empty run", () => {
    const empty = parse(formatJunit(sampleResult({ findings: [], rules: [] }), { color: false }));
    expect(empty).toMatchObject({ "@_tests": "0", "@_failures": "0", "@_skipped": "0" });
  });

  it("is registered as --format junit", () => {
    expect(FORMATS).toContain("junit");
    expect(getReporter("junit")).toBe(formatJunit);
  });
});
