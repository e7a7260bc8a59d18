// data "aws_iam_policy_document" computed offline: HCL snippet → the policy document that an
// aws_iam_role_policy reading its json receives.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanTerraform } from "../../../src/parsers/terraform/project.js";
import type { Resolved } from "../../../src/values/value.js";
import { view } from "../../helpers/view.js";

async function documentOf(hcl: string): Promise<unknown> {
  const root = mkdtempSync(join(tmpdir(), "parapet-policy-"));
  writeFileSync(join(root, "main.tf"), `${hcl}\nresource "aws_iam_role_policy" "p" {\n  role   = "app"\n  policy = data.aws_iam_policy_document.d.json\n}\n`);
  const scan = await scanTerraform([root], root, { sources: [], env: {} });
  const policy = scan.roots.flatMap((r) => r.nodes).find((n) => n.kind === "aws.iam.policy")!;
  return view(policy.attributes["document"] as Resolved);
}

const doc = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });

describe("aws_iam_policy_document", () => {
  it.each<[string, string, unknown]>([
    [
      "effect defaults to Allow; one action is written as a string",
      `data "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["s3:GetObject"]\n    resources = ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"]\n  }\n}`,
      doc({ Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"] }),
    ],
    [
      "not_actions, not_resources, sid, Deny, version and policy_id",
      `data "aws_iam_policy_document" "d" {\n  version   = "2008-10-17"\n  policy_id = "p1"\n  statement {\n    sid           = "NoIam"\n    effect        = "Deny"\n    not_actions   = ["iam:*"]\n    not_resources = ["*"]\n  }\n}`,
      { Version: "2008-10-17", Id: "p1", Statement: [{ Sid: "NoIam", Effect: "Deny", NotAction: "iam:*", NotResource: "*" }] },
    ],
    [
      "principals grouped by type, conditions by test and variable, &{} as a policy variable",
      [
        'data "aws_iam_policy_document" "d" {',
        "  statement {",
        '    actions = ["sts:AssumeRole"]',
        '    principals {\n      type        = "Service"\n      identifiers = ["ec2.amazonaws.com"]\n    }',
        '    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::111122223333:root"]\n    }',
        '    condition {\n      test     = "StringEquals"\n      variable = "aws:PrincipalTag/team"\n      values   = ["&{aws:username}"]\n    }',
        "  }",
        "}",
      ].join("\n"),
      doc({
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "ec2.amazonaws.com", AWS: "arn:aws:iam::111122223333:root" },
        Condition: { StringEquals: { "aws:PrincipalTag/team": "${aws:username}" } },
      }),
    ],
    [
      'a principal of type "*" is everyone',
      `data "aws_iam_policy_document" "d" {\n  statement {\n    actions = ["s3:GetObject"]\n    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n  }\n}`,
      doc({ Effect: "Allow", Action: "s3:GetObject", Principal: "*" }),
    ],
    [
      "source documents come first; a statement with the same sid replaces one; override documents replace by sid and append the rest",
      [
        'data "aws_iam_policy_document" "base" {\n  statement {\n    sid     = "A"\n    actions = ["s3:*"]\n  }\n  statement {\n    sid     = "B"\n    actions = ["ec2:*"]\n  }\n}',
        'data "aws_iam_policy_document" "d" {',
        "  source_policy_documents   = [data.aws_iam_policy_document.base.json]",
        '  override_policy_documents = [jsonencode({ Statement = [{ Sid = "B", Effect = "Deny", Action = "ec2:*" }, { Effect = "Allow", Action = "sqs:*" }] })]',
        '  statement {\n    sid     = "A"\n    actions = ["s3:GetObject"]\n  }',
        "}",
      ].join("\n"),
      doc(
        { Sid: "A", Effect: "Allow", Action: "s3:GetObject" },
        { Sid: "B", Effect: "Deny", Action: "ec2:*" },
        { Effect: "Allow", Action: "sqs:*" },
      ),
    ],
    [
      "dynamic statement blocks over a variable's default",
      [
        'variable "buckets" { default = ["logs", "data"] }',
        'data "aws_iam_policy_document" "d" {',
        '  dynamic "statement" {',
        "    for_each = var.buckets",
        '    content {\n      sid       = statement.value\n      actions   = ["s3:GetObject"]\n      resources = ["arn:aws:s3:::${statement.value}/*"]\n    }',
        "  }",
        "}",
      ].join("\n"),
      doc(
        { Sid: "logs", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/*" },
        { Sid: "data", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" },
      ),
    ],
    [
      "an ARN known only after apply stays unknown inside a known document",
      `resource "aws_sqs_queue" "q" {}\ndata "aws_iam_policy_document" "d" {\n  statement {\n    actions   = ["*"]\n    resources = [aws_sqs_queue.q.arn]\n  }\n}`,
      doc({ Effect: "Allow", Action: "*", Resource: { unknown: "aws_sqs_queue.q.arn is known only after apply", ref: { target: "aws_sqs_queue.q", attribute: "arn" } } }),
    ],
  ])("%s", async (_name, hcl, want) => {
    expect(await documentOf(hcl)).toEqual(want);
  });

  it("a counted data source is read through its index; another data source stays unknown", async () => {
    // The role policy of documentOf reads `data...d.json` without an index: the one instance is read.
    const counted = await documentOf(`variable "on" { default = true }\ndata "aws_iam_policy_document" "d" {\n  count = var.on ? 1 : 0\n  statement {\n    actions = ["ec2:Describe*"]\n  }\n}`);
    expect(counted).toEqual(doc({ Effect: "Allow", Action: "ec2:Describe*" }));
    const root = mkdtempSync(join(tmpdir(), "parapet-policy-"));
    writeFileSync(
      join(root, "main.tf"),
      `data "aws_iam_policy_document" "d" {\n  count = 1\n  statement {\n    actions = ["ec2:Describe*"]\n  }\n}\ndata "aws_caller_identity" "me" {}\nresource "aws_iam_role_policy" "p" {\n  role   = "app"\n  policy = data.aws_iam_policy_document.d[0].minified_json\n}\nresource "aws_iam_role_policy" "q" {\n  role   = "app"\n  policy = data.aws_caller_identity.me.account_id\n}\n`,
    );
    const scan = await scanTerraform([root], root, { sources: [], env: {} });
    const docs = scan.roots.flatMap((r) => r.nodes).filter((n) => n.kind === "aws.iam.policy").map((n) => view(n.attributes["document"] as Resolved));
    expect(docs).toEqual([doc({ Effect: "Allow", Action: "ec2:Describe*" }), { unknown: "data.aws_caller_identity.me is read when Terraform plans" }]);
  });
});
