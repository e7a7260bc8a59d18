// Files outside the working directory, and file names that need escaping, in every output
// format: each names the file so that it can be opened (the absolute path outside the working
// directory), and SARIF writes a URI that reads back as the same file.
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";
import { displayPath, isInside } from "../../src/source/paths.js";
import { compileSarifSchema } from "../reporters/sarif-schema.js";
import { project } from "./helpers.js";

const OPEN_SSH = `Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }\n`;

/** Names a file system accepts but a URI or a `file:line:col` line must escape or keep apart. */
const NAMES = ["a b.yaml", "hash#1.yaml", "100%.yaml", "what?.yaml", "back\\slash.yaml", "ünï-😀.yaml", "colon:x.yaml", "..dots.yaml"];

function layout(): { cwd: string; outside: string } {
  const root = realpathSync(project({}));
  const cwd = join(root, "work");
  const outside = join(root, "elsewhere #2");
  for (const dir of [cwd, outside]) {
    mkdirSync(dir, { recursive: true });
    for (const name of NAMES) writeFileSync(join(dir, name), OPEN_SSH);
  }
  return { cwd, outside };
}

describe("files outside the working directory and names that need escaping", () => {
  const { cwd, outside } = layout();
  const args = [".", "../elsewhere #2"];
  const expectedFiles = [...NAMES.map((n) => n), ...NAMES.map((n) => `${outside}/${n}`)].sort();

  it("SARIF: schema-valid, relative to %SRCROOT% inside, absolute file: URIs outside, each reading back as its file", async () => {
    const r = await run([...args, "--format", "sarif"], cwd);
    expect(r.code, r.stderr).toBe(1);
    const log = JSON.parse(r.stdout);
    const validate = compileSarifSchema();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run0 = log.runs[0];
    const base = run0.originalUriBaseIds["%SRCROOT%"].uri;
    expect(run0.invocations[0].workingDirectory.uri).toBe(base);
    const files = run0.results.map((res: any) => {
      const a = res.locations[0].physicalLocation.artifactLocation;
      if (a.uriBaseId !== undefined) {
        expect(a.uriBaseId).toBe("%SRCROOT%");
        expect(a.uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
        return fileURLToPath(new URL(a.uri, base)).slice(cwd.length + 1);
      }
      expect(a.uri).toMatch(/^file:\/\/\//);
      return fileURLToPath(a.uri);
    });
    expect([...new Set(files)].sort()).toEqual(expectedFiles);
  });

  it("JSON, compact, GitHub, JUnit, Markdown and text show the absolute path of a file outside", async () => {
    const json = JSON.parse((await run([...args, "--format", "json"], cwd)).stdout);
    expect([...new Set(json.findings.map((f: { file: string }) => f.file))].sort()).toEqual(expectedFiles);

    const compact = (await run([...args, "--format", "compact"], cwd)).stdout.trimEnd().split("\n");
    expect(compact).toHaveLength(NAMES.length * 2);
    for (const name of NAMES) {
      expect(compact).toContainEqual(expect.stringMatching(new RegExp(`^${escape(name)}:7:\\d+: high: `)));
      expect(compact).toContainEqual(expect.stringMatching(new RegExp(`^${escape(`${outside}/${name}`)}:7:\\d+: high: `)));
    }

    const github = (await run([...args, "--format", "github"], cwd)).stdout.trimEnd().split("\n");
    // Properties escape `:` and `,` as @actions/core does; the runner makes an absolute path inside its workspace relative.
    const annotated = github.map((line) => decodeURIComponent(/^::error file=([^,]*),/.exec(line)![1]!));
    expect(annotated.sort()).toEqual(expectedFiles);

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse((await run([...args, "--format", "junit"], cwd)).stdout);
    const suite = [junit.testsuites.testsuite].flat().find((s: { name: string }) => s.name === "sg-no-ssh-from-internet");
    expect([suite.testcase].flat().map((c: { file: string }) => c.file).sort()).toEqual(expectedFiles);

    const markdown = (await run([...args, "--format", "markdown"], cwd)).stdout;
    // Markdown characters are backslash-escaped in cells, so the rendered cell reads as the path.
    expect(markdown).toContain(`| ${outside.replace("#", "\\#")}/a b.yaml:7 |`);

    const text = (await run([...args, "--no-color"], cwd)).stdout;
    for (const name of NAMES) expect(text.split("\n")).toContain(`${outside}/${name}`);
  });
});

describe("displayPath and isInside", () => {
  it("tell a name starting with .. inside the folder from a path that leads out of it", () => {
    // [path, shown from /w, inside /w]
    const table: [string, string, boolean][] = [
      ["/w", ".", true],
      ["/w/a.yaml", "a.yaml", true],
      ["/w/..dots.yaml", "..dots.yaml", true],
      ["/w/..d/x.tf", "..d/x.tf", true],
      ["/", "/", false],
      ["/x/a.yaml", "/x/a.yaml", false],
      ["/w2/a.yaml", "/w2/a.yaml", false],
    ];
    for (const [path, shown, inside] of table) {
      expect(displayPath("/w", path), path).toBe(shown);
      expect(isInside("/w", path), path).toBe(inside);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
