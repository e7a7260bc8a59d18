// docs/editor.md: its VS Code tasks are valid JSON, and its problem matchers match every
// line parapet's compact format prints for the examples, each line exactly once.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const doc = readFileSync(new URL("docs/editor.md", `file://${root}`), "utf8");
const tasks = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]!) as {
  tasks: { label: string; problemMatcher: { severity?: string; pattern: { regexp: string; message: number } }[] }[];
};

describe("docs/editor.md", () => {
  it("the problem matchers match the compact output, each line once, with the right severity", async () => {
    const out = await run(["--format", "compact", "--preset", "strict", "examples/"], root);
    const lines = out.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(10);
    const lint = tasks.tasks.find((t) => t.label === "parapet: lint")!;
    for (const line of lines) {
      const hits = lint.problemMatcher.filter((m) => new RegExp(m.pattern.regexp).test(line));
      expect(hits, line).toHaveLength(1);
      const severity = / (critical|high|medium|low|info|review): /.exec(line)![1]!;
      const want = severity === "critical" || severity === "high" ? "error" : severity === "medium" ? "warning" : "info";
      expect(hits[0]!.severity, line).toBe(want);
    }
    const watch = tasks.tasks.find((t) => t.label === "parapet: watch")!;
    for (const line of lines) expect(new RegExp(watch.problemMatcher[0]!.pattern.regexp).test(line), line).toBe(true);
  });
});
