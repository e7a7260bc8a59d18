// action.yml has the fields GitHub Actions requires of a composite action, and every input
// it uses is declared.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const text = readFileSync(new URL("../../action.yml", import.meta.url), "utf8");
const action = parse(text) as {
  name: string;
  description: string;
  inputs: Record<string, { description?: string; default?: string }>;
  runs: { using: string; steps: Record<string, unknown>[] };
};

describe("action.yml", () => {
  it("is a composite action with a name, a description and described inputs", () => {
    expect(typeof action.name).toBe("string");
    expect(typeof action.description).toBe("string");
    expect(action.runs.using).toBe("composite");
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
    for (const name of ["paths", "format", "fail-on", "new-since"]) expect(action.inputs).toHaveProperty(name);
  });

  it("every step either runs a shell command with its shell or uses an action", () => {
    for (const step of action.runs.steps) {
      if ("run" in step) expect(step["shell"], JSON.stringify(step)).toBeTruthy();
      else expect(typeof step["uses"]).toBe("string");
    }
  });

  it("uses only inputs it declares, and passes them through the environment, not into scripts", () => {
    for (const m of text.matchAll(/inputs\.([\w-]+)/g)) expect(action.inputs, m[1]).toHaveProperty(m[1]!);
    for (const step of action.runs.steps) if (typeof step["run"] === "string") expect(step["run"]).not.toMatch(/\$\{\{\s*inputs\./);
  });

  it("passes only options parapet knows", () => {
    const help = readFileSync(new URL("../../src/commands/help.ts", import.meta.url), "utf8");
    for (const m of text.matchAll(/\(--([\w-]+)|args\+=\(--([\w-]+)/g)) {
      const option = m[1] ?? m[2];
      expect(help).toContain(`--${option}`);
    }
  });
});
