// Suppressions written in a form parapet does not read are never silently ignored: each is a
// `suppression-unreadable` note at its line (in every format), and the finding it was meant to
// hide is reported and fails the run as usual.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { metadataSuppressions } from "../../src/suppressions/suppression.js";
import { readSuppressionComments } from "../../src/suppressions/comments.js";
import { isDay } from "../../src/suppressions/suppression.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "parapet-unreadable-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const volume = (name: string, metadata: string) => `  ${name}:
    Type: AWS::EC2::Volume
${metadata}    Properties: { Size: 1, AvailabilityZone: eu-west-1a }
`;

describe("Metadata suppressions, as a table", () => {
  const problems = (metadata: unknown) => {
    const out: { at: (string | number)[]; message: string }[] = [];
    const specs = metadataSuppressions(metadata, "t", (at, message) => out.push({ at, message }));
    return { specs, problems: out };
  };

  it.each([
    ["a misspelt list key", { parapet: { ignore: [{ rule: "r", reason: "x" }] } }, ["parapet", "ignore"], 'Metadata.parapet.ignore is not read as a suppression: unknown key (did you mean "suppress"?)'],
    ["a misspelt tool key", { Parapet: { suppress: [] } }, ["Parapet"], 'Metadata key "Parapet" is not read as a suppression (did you mean "parapet"?)'],
    ["parapet that is not a map", { parapet: "suppress" }, ["parapet"], 'Metadata.parapet is not read as a suppression: it must be a map with a "suppress" list'],
    ["suppress that is not a list", { parapet: { suppress: { rule: "r" } } }, ["parapet", "suppress"], "Metadata.parapet.suppress is not read: it must be a list of entries with rule, reason and until"],
    ["an entry that is not a map", { parapet: { suppress: ["r"] } }, ["parapet", "suppress", 0], "Metadata.parapet.suppress[0] is not read: an entry is a map with rule, reason and until"],
    ["an entry without a rule", { parapet: { suppress: [{ id: "r", reason: "x" }] } }, ["parapet", "suppress", 0], 'Metadata.parapet.suppress[0] names no rule (rule: <rule-id> or "*"), so it suppresses nothing'],
    ["an unknown entry key", { parapet: { suppress: [{ rule: "r", reasn: "x" }] } }, ["parapet", "suppress", 0, "reasn"], 'Metadata.parapet.suppress[0].reasn: unknown key (did you mean "reason"?) (an entry has rule, reason and until)'],
    ["an until that is not a day", { parapet: { suppress: [{ rule: "r", reason: "x", until: "31/03/2027" }] } }, ["parapet", "suppress", 0, "until"], 'Metadata.parapet.suppress[0]: until "31/03/2027" is not a day written YYYY-MM-DD, so the suppression does not apply'],
  ])("%s is reported at its key", (_name, metadata, at, message) => {
    expect(problems(metadata).problems).toContainEqual({ at, message });
  });

  it("a well-written suppression and other tools' metadata give no problem", () => {
    const ok = problems({ parapet: { suppress: [{ rule: "r", reason: "x", until: "2027-03-31" }] }, "aws:cdk:path": "S/V/Resource", "cfn-lint": { config: {} } });
    expect(ok.problems).toEqual([]);
    expect(ok.specs).toEqual([{ rule: "r", reason: "x", until: "2027-03-31", origin: "t" }]);
  });

  it.each([
    ["2027-03-31", true],
    ["2028-02-29", true],
    ["2027-02-29", false],
    ["2027-3-31", false],
    ["31/03/2027", false],
    ["2027-13-01", false],
  ])("isDay(%j) is %s", (day, valid) => expect(isDay(day)).toBe(valid));
});

describe("suppression comments, as a table", () => {
  it.each([
    ["# parapet:ignroe ebs-encrypted scratch", 1, '"parapet:ignroe" is not read as a suppression comment (did you mean "parapet:ignore"?)'],
    ["// parapet:suppress ebs-encrypted scratch", 1, '"parapet:suppress" is not read as a suppression comment (did you mean "parapet:ignore"?)'],
    ["x = 1 # parapet: ignore ebs-encrypted scratch", 7, '"parapet: ignore" is not read as a suppression comment (did you mean "parapet:ignore"?)'],
    ["# Parapet:ignore ebs-encrypted scratch", 1, '"Parapet:ignore" is not read as a suppression comment (did you mean "parapet:ignore"?)'],
    ["# parapet-ignore ebs-encrypted scratch", 1, '"parapet-ignore" is not read as a suppression comment (did you mean "parapet:ignore"?)'],
    ["# parapet skip ebs-encrypted", 1, '"parapet skip" is not read as a suppression comment (did you mean "parapet:ignore"?)'],
    ["# parapet:ignore", 1, '"parapet:ignore" names no rule (write parapet:ignore <rule-id> <reason>), so it suppresses nothing'],
    ["# parapet:ignore ebs-encrypted scratch until=2027-3-31", 1, 'parapet:ignore ebs-encrypted: until "2027-3-31" is not a day written YYYY-MM-DD, so the suppression does not apply'],
  ])("%j is reported at column %i", (line, column, message) => {
    expect(readSuppressionComments(`a: 1\n${line}\n`, "t.yaml").problems).toEqual([{ line: 2, column, message }]);
  });

  it.each([
    "# parapet checks this file in CI",
    "# parapet:ignore ebs-encrypted scratch until=2027-03-31",
    "# the parapet rules are in policies/",
    "# ignore this",
  ])("%j is no problem", (line) => {
    expect(readSuppressionComments(`${line}\n`, "t.yaml").problems).toEqual([]);
  });
});

describe("what a run reports", () => {
  const template = `Resources:
${volume("Misspelt", "    Metadata:\n      parapet:\n        ignore:\n          - { rule: ebs-encrypted, reason: scratch disk }\n")}${volume("BadDay", "    Metadata:\n      parapet:\n        suppress:\n          - { rule: ebs-encrypted, reason: scratch disk, until: 2027-3-31 }\n")}  # parapet:ignroe ebs-encrypted scratch disk
${volume("Commented", "")}${volume("Waived", "    Metadata:\n      parapet:\n        suppress:\n          - { rule: ebs-encrypted, reason: scratch disk }\n")}`;

  it("a note at each line in JSON, SARIF and compact; the findings meant to be hidden are reported and fail the run", async () => {
    const dir = project({ "t.yaml": template });
    const args = ["--only", "ebs-encrypted", "t.yaml"];
    const json = await run([...args, "-f", "json"], dir);
    expect(json.code).toBe(1);
    const findings = JSON.parse(json.stdout).findings as { ruleId: string; kind: string; line: number; address: string; message: string; suppressions?: unknown[] }[];
    const notes = findings.filter((f) => f.ruleId === "suppression-unreadable");
    expect(notes.map((f) => [f.line, f.kind, f.message])).toEqual([
      [6, "review", 'Misspelt: Metadata.parapet.ignore is not read as a suppression: unknown key (did you mean "suppress"?)'],
      [14, "review", 'BadDay: Metadata.parapet.suppress[0]: until "2027-3-31" is not a day written YYYY-MM-DD, so the suppression does not apply'],
      [16, "review", '"parapet:ignroe" is not read as a suppression comment (did you mean "parapet:ignore"?)'],
    ]);
    const volumes = findings.filter((f) => f.ruleId === "ebs-encrypted");
    expect(volumes.map((f) => [f.address, (f.suppressions?.length ?? 0) > 0])).toEqual([
      ["Misspelt", false],
      ["BadDay", false],
      ["Commented", false],
      ["Waived", true],
    ]);
    expect(volumes[1]!.message).toContain('(its suppression is ignored: until "2027-3-31" is not a day written YYYY-MM-DD)');

    const sarif = JSON.parse((await run([...args, "-f", "sarif"], dir)).stdout);
    const results = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === "suppression-unreadable");
    expect(results.map((r: { locations: { physicalLocation: { region: { startLine: number } } }[] }) => r.locations[0]!.physicalLocation.region.startLine)).toEqual([6, 14, 16]);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain("suppression-unreadable");

    const compact = (await run([...args, "-f", "compact"], dir)).stdout;
    expect(compact).toContain('t.yaml:16:3: review: "parapet:ignroe" is not read as a suppression comment (did you mean "parapet:ignore"?) [suppression-unreadable]');
  });

  it("the note alone does not fail the run", async () => {
    const dir = project({ "t.yaml": `Resources:\n  # parapet:ignroe ebs-encrypted\n${volume("V", "")}` });
    const out = await run(["--only", "sg-no-ssh-from-internet", "-f", "compact", "t.yaml"], dir);
    expect(out).toMatchObject({ code: 0, stdout: 't.yaml:2:3: review: "parapet:ignroe" is not read as a suppression comment (did you mean "parapet:ignore"?) [suppression-unreadable]\n' });
  });

  it("a misspelt comment in Terraform is reported at its line too", async () => {
    const dir = project({ "main.tf": 'resource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  size = 1 # parapet:ignre ebs-encrypted scratch\n}\n' });
    const out = await run(["--only", "ebs-encrypted", "-f", "compact", "."], dir);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('main.tf:3:12: review: "parapet:ignre" is not read as a suppression comment (did you mean "parapet:ignore"?) [suppression-unreadable]');
  });
});
