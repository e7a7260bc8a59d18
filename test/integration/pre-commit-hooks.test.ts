// .pre-commit-hooks.yaml has what pre-commit requires of a hook repository, and its file
// filter takes the files parapet lints.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const hooks = parse(readFileSync(new URL(".pre-commit-hooks.yaml", root), "utf8")) as Record<string, unknown>[];
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { bin: Record<string, string> };

// The languages pre-commit knows, and the keys it requires of every hook.
const LANGUAGES = ["conda", "coursier", "dart", "docker", "docker_image", "dotnet", "fail", "golang", "haskell", "lua", "node", "perl", "pygrep", "python", "r", "ruby", "rust", "script", "swift", "system"];
const REQUIRED = ["id", "name", "entry", "language"];

describe(".pre-commit-hooks.yaml", () => {
  it("declares the parapet hook with the keys pre-commit requires", () => {
    expect(Array.isArray(hooks)).toBe(true);
    const hook = hooks.find((h) => h["id"] === "parapet")!;
    for (const key of REQUIRED) expect(typeof hook[key], key).toBe("string");
    expect(LANGUAGES).toContain(hook["language"]);
    expect(Object.keys(pkg.bin)).toContain(hook["entry"]);
  });

  it("passes templates, assemblies' templates and Terraform files, and nothing else", () => {
    const files = new RegExp(hooks[0]!["files"] as string);
    for (const name of ["stack.yaml", "stack.yml", "template.json", "app.template", "main.tf", "main.tf.json"]) expect(files.test(name), name).toBe(true);
    for (const name of ["README.md", "app.ts", "terraform.tfvars", "Dockerfile"]) expect(files.test(name), name).toBe(false);
  });
});
