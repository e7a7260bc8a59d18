/**
 * What parapet says about itself: `--help` (with the names other linters give to its
 * options) and `--version`.
 */
import { readFileSync } from "node:fs";
import { packagePath } from "../paths.js";
import { FORMATS } from "../reporters/index.js";

export const VERSION: string = (
  JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }
).version;

/**
 * The names other linters give to what parapet has under another name, so that their users
 * are pointed to it (in --help and when they type them).
 */
export const PEER_NAMES: Record<string, string> = {
  "list-checks": "parapet rules",
  list: "parapet rules",
  check: "--only",
  "skip-check": "--skip",
  compact: "-f compact",
  "create-baseline": "--write-baseline",
  "external-checks-dir": "--rules",
  "exit-zero": "--soft-fail",
};

export const HELP = `Usage: parapet [options] [paths...]
       parapet rules [--format text|json] [rule options]
       parapet explain <rule-id>
       parapet test [rule folders...]
       parapet diff <base-ref|dir|file> [head]

Lints CloudFormation templates (YAML, JSON, SAM), CDK cloud assemblies (cdk.out),
Terraform modules (.tf, .tf.json) and Terraform plans (terraform show -json) in the given
files and folders (default: the current folder) against parapet's EC2 security baseline.
A .tf file named on its own is evaluated with its whole folder.

Options:
  -f, --format <name>     output format: ${FORMATS.join(", ")} (default: text)
  -o, --output <file>     write the report to a file instead of standard output
  -p, --param <K=V>       value for a CloudFormation template parameter (repeatable)
      --param-file <file> CloudFormation parameter file: [{"ParameterKey","ParameterValue"}]
                          or {"Parameters": {...}} (repeatable; --param wins)
      --var <name=value>  value for a Terraform root module variable (repeatable)
      --var-file <file>   Terraform variables file (.tfvars or .tfvars.json; repeatable;
                          --var and --var-file apply in the order given, after
                          TF_VAR_name, terraform.tfvars and *.auto.tfvars)
      --preset <name>     rule preset: recommended (default), strict (adds low-severity
                          rules), account (adds deployment-wide checks); repeatable
      --only <ids>        run only these rules or categories (comma-separated, repeatable)
      --skip <ids>        do not run these rules or categories (comma-separated, repeatable)
      --rules <dir>       also load the rule files in this folder (repeatable)
      --write-baseline <file>  record the fingerprints of the current findings (set-up:
                          exits 0 unless the file cannot be written)
      --baseline <file>   report only findings that are not in this baseline
      --report-unused-suppressions  list suppressions that matched no finding
      --new-since <ref>   report only findings that the same paths did not have at this
                          git ref (the PR check: --new-since origin/main)
  -c, --config <file>     configuration file (default: the nearest .parapet.yaml in the
                          working folder or above it); command-line options win
      --fail-on <severity>  exit 1 only for failures at or above this severity
                          (critical, high, medium, low, info; default: info, every failure)
      --fail-on-undecided findings to review fail the run too
      --soft-fail         exit 0 whatever the findings (the report is unchanged; a wrong
                          invocation still exits 2)
  -q, --quiet             text and compact output show only the findings that fail the run,
                          and the summary (no findings to review, no notes)
  -j, --jobs <n>          worker threads (default: chosen from the amount of work and
                          the cores; 1 lints in one thread)
      --cache             reuse the findings of inputs that have not changed since the
                          last run with the same rules, configuration and parapet version
      --cache-dir <dir>   where --cache keeps them (default: .parapet-cache)
      --shard <i/n>       lint only part i of n of the inputs (for a CI matrix; files,
                          assemblies and Terraform roots are never split)
      --max-file-size <size>  skip larger files with a finding (default 10MB)
      --max-depth <n>     deepest nesting of maps and lists read (default 200, at most 500)
      --max-alias-expansion <n>  most nodes YAML aliases may expand to (default 10000)
      --file-timeout <seconds>  time budget of one file (default 30)
      --max-instances <n>  most instances of a Terraform count / for_each evaluated
                          one by one (default 64)
      --color / --no-color  force colours on or off (default: on for a terminal)
      --verbose           list each symbolic link the walk did not follow
  -v, --version           print parapet's version
  -h, --help              print this help

Commands:
  rules                   list the rules (with --format json, their metadata)
  explain <rule-id>       print a rule's rationale, remediation, mappings and examples
  diff <base> [head]      security-relevant changes (IAM, security groups) between two
                          versions of CloudFormation/CDK templates and the findings the
                          change introduces; base is a git ref, a folder or a file;
                          --format markdown for a PR comment
  test [dirs...]          run the examples of the rules in these folders (default: the
                          built-in rules) as tests; exit 1 when one misbehaves

Coming from another linter (its option: parapet's):
${Object.entries(PEER_NAMES)
  .map(([name, ours]) => `  --${name.padEnd(22)}${ours}`)
  .join("\n")}

Exit codes: 0 no failing findings at or above the threshold, 1 failing findings or unreadable
files (0 with --soft-fail or --write-baseline), 2 usage error.`;
