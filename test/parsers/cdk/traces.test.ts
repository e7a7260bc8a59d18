// Creation stack traces of CDK constructs → the line of the user's app that created the construct.
import { describe, expect, it } from "vitest";
import { sourceFrame } from "../../../src/parsers/cdk/traces.js";

const at = (file: string, line: number, column: number) => ({ file, line, column });
const LIB = "    at new SecurityGroup (/project/node_modules/aws-cdk-lib/aws-ec2/lib/security-group.js:1:9538)";
const CONSTRUCTS = "    at new Construct (/project/node_modules/constructs/lib/construct.js:499:29)";
const NODE = "    at ModuleJob.run (node:internal/modules/esm/module_job:271:25)";

describe("the first frame of the user's code, working directory /project", () => {
  it.each<[string, string[], unknown]>([
    // CommonJS, as CDK writes creation stacks (no `at `) and `trace` entries (with it).
    ["CommonJS creation stack", ["new Instance (node_modules/aws-cdk-lib/aws-ec2/lib/instance.js:1:2)", "build (lib/app.ts:12:3)"], at("lib/app.ts", 12, 3)],
    ["folded library lines", ["    ...new Vpc2 in aws-cdk-lib...", "    at build (test/app.mjs:33:15)", "    ...node internals..."], at("test/app.mjs", 33, 15)],
    ["absolute path outside the working directory", ["at Object.<anonymous> (/elsewhere/app.ts:1:1)"], at("/elsewhere/app.ts", 1, 1)],
    // ES modules.
    ["file URL of an ES module", [LIB, "    at build (file:///project/bin/app.mjs:50:7)"], at("bin/app.mjs", 50, 7)],
    ["frame without a function name", [LIB, "    at file:///project/bin/app.mjs:12:3", NODE], at("bin/app.mjs", 12, 3)],
    ["frame without a function name or `at`", ["file:///project/bin/app.mjs:12:3"], at("bin/app.mjs", 12, 3)],
    ["async frame", ["    at async main (file:///project/bin/app.mjs:8:5)"], at("bin/app.mjs", 8, 5)],
    ["percent-encoded URL", ["    at file:///project/my%20app/app.mjs:4:1"], at("my app/app.mjs", 4, 1)],
    ["URL with a query (tsx)", ["    at build (file:///project/bin/app.ts?tsx-namespace=1710:9:2)"], at("bin/app.ts", 9, 2)],
    // Frames without a usable location are passed over.
    ["<anonymous> frame", ["    at new <anonymous> (<anonymous>)", "    at Array.map (<anonymous>)", "    at build (/project/app.js:3:1)"], at("app.js", 3, 1)],
    ["<anonymous> location with numbers", ["    at <anonymous>:1:1", "    at build (/project/app.js:3:1)"], at("app.js", 3, 1)],
    ["(:) frame", ["    at build (:)", "    at run (:12:3)", "    at main (/project/app.js:7:2)"], at("app.js", 7, 2)],
    ["native frame", ["    at Array.forEach (native)", "    at main (/project/app.js:7:2)"], at("app.js", 7, 2)],
    ["eval frame: the place that called eval", ["    at eval (eval at build (file:///project/app.mjs:20:5), <anonymous>:1:1)"], at("app.mjs", 20, 5)],
    // Library and Node frames.
    ["node: frames", [NODE, "    at node:internal/main/run_main_module:28:49"], undefined],
    ["old-style internal frames", ["    at Module._compile (internal/modules/cjs/loader.js:1063:30)"], undefined],
    ["constructs package", [CONSTRUCTS, "    at new AppStack (/project/lib/app-stack.ts:9:5)"], at("lib/app-stack.ts", 9, 5)],
    ["a user folder named constructs is the user's", ["    at new Bastion (/project/lib/constructs/bastion.ts:14:7)"], at("lib/constructs/bastion.ts", 14, 7)],
    ["aws-cdk-lib outside node_modules (linked)", ["    at new Vpc (/src/aws-cdk/packages/aws-cdk-lib/aws-ec2/lib/vpc.ts:100:1)", "    at x (/project/a.ts:1:2)"], at("a.ts", 1, 2)],
    ["no user code", ["(no user code in 10 frames, use --stack-trace-limit to capture more)"], undefined],
    // TypeScript through ts-node or tsx, and source-mapped frames, name the .ts file.
    ["ts-node", ["    at new NetworkStack (/project/lib/network-stack.ts:22:9)", "    at Object.<anonymous> (/project/bin/app.ts:8:1)"], at("lib/network-stack.ts", 22, 9)],
    // As aws-cdk-lib 2.276 writes a creation stack of a ts-node app with source maps: a user folder lib/constructs, top level as <anonymous>.
    ["creation stack of a source-mapped TypeScript app", ["...new SecurityGroup2 in aws-cdk-lib...", "new VPCResources (/project/lib/constructs/vpc.ts:32:29)", "new EC2Stack (/project/lib/ec2-stack.ts:19:26)", "<anonymous> (/project/bin/app.ts:20:1)", "...node internals..."], at("lib/constructs/vpc.ts", 32, 29)],
    ["top level of a TypeScript app as <anonymous>", ["...new Stack in aws-cdk-lib...", "<anonymous> (/project/bin/app.ts:20:1)"], at("bin/app.ts", 20, 1)],
    ["parentheses in the path", ["    at build (/project/apps (old)/app.js:2:4)"], at("apps (old)/app.js", 2, 4)],
    // Windows assemblies linted on another system keep their absolute paths.
    ["Windows path, POSIX working directory", ["    at build (C:\\app\\bin\\app.ts:12:3)"], at("C:/app/bin/app.ts", 12, 3)],
    ["Windows file URL, POSIX working directory", ["    at file:///C:/app/app.mjs:3:1"], at("C:/app/app.mjs", 3, 1)],
    ["Windows node_modules", ["    at new Vpc (C:\\app\\node_modules\\aws-cdk-lib\\aws-ec2\\lib\\vpc.js:1:1)"], undefined],
  ])("%s", (_name, trace, frame) => {
    expect(sourceFrame(trace, "/project")).toEqual(frame);
  });
});

describe("the first frame of the user's code, working directory C:\\app", () => {
  it.each<[string, string[], unknown]>([
    ["Windows path inside", ["    at build (C:\\app\\bin\\app.ts:12:3)"], at("bin/app.ts", 12, 3)],
    ["drive letter in another case", ["    at build (c:\\app\\bin\\app.ts:12:3)"], at("bin/app.ts", 12, 3)],
    ["Windows file URL inside", ["    at file:///C:/app/app.mjs:3:1"], at("app.mjs", 3, 1)],
    ["Windows path outside", ["    at build (D:\\other\\app.ts:1:1)"], at("D:/other/app.ts", 1, 1)],
    ["relative path (committed fixture)", ["build (bin/app.ts:5:5)"], at("bin/app.ts", 5, 5)],
  ])("%s", (_name, trace, frame) => {
    expect(sourceFrame(trace, "C:\\app")).toEqual(frame);
  });
});
