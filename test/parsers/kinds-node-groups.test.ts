// EKS managed node groups as tables: CloudFormation and Terraform snippets → the node group's
// node and the edges ec2-instance-profile and ec2-ssm-managed follow (node group → launch
// template by reference or by name, node group → node role).
import { describe, expect, it } from "vitest";
import { CLOUDFORMATION_KINDS } from "../../src/parsers/cloudformation/adapters.js";
import { TERRAFORM_KINDS } from "../../src/parsers/terraform/adapters.js";
import { cfnNodes, edgesOf, summary, tfNodes } from "../helpers/graph.js";

const nodeGroups = (nodes: ReturnType<typeof cfnNodes>) => nodes.filter((n) => n.kind === "aws.eks.node_group").map(summary);

describe("CloudFormation AWS::EKS::Nodegroup → aws.eks.node_group", () => {
  const template = `
Resources:
  NodeRole:
    Type: AWS::IAM::Role
    Properties: {AssumeRolePolicyDocument: {}}
  ById:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {ImageId: ami-12345678}}
  ByName:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateName: nodes, LaunchTemplateData: {ImageId: ami-12345678}}
  RefNodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: prod
      NodeRole: !GetAtt NodeRole.Arn
      Subnets: [subnet-0123]
      LaunchTemplate: {Id: !Ref ById, Version: !GetAtt ById.LatestVersionNumber}
  NamedNodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: prod
      NodeRole: arn:aws:iam::123456789012:role/eks-nodes
      Subnets: [subnet-0123]
      LaunchTemplate: {Name: nodes, Version: "3"}
  PlainNodes:
    Type: AWS::EKS::Nodegroup
    Properties: {ClusterName: prod, NodeRole: arn:aws:iam::123456789012:role/eks-nodes, Subnets: [subnet-0123]}
`;

  it("reads the launch template and the node role", () => {
    const groups = nodeGroups(cfnNodes("eks.yaml", template));
    expect(groups.map((g) => [g.address, g.attributes])).toEqual([
      ["RefNodes", { launch_template: { id: expect.anything(), version: expect.anything() }, node_role: expect.anything() }],
      ["NamedNodes", { launch_template: { name: "nodes", version: "3" }, node_role: "arn:aws:iam::123456789012:role/eks-nodes" }],
      ["PlainNodes", { node_role: "arn:aws:iam::123456789012:role/eks-nodes" }],
    ]);
  });

  it("links the launch template by reference and by name, and the node role", () => {
    const edges = edgesOf(cfnNodes("eks.yaml", template), CLOUDFORMATION_KINDS).filter((e) => e.includes("Nodes "));
    expect(edges).toEqual(["NamedNodes -launch_template-> ByName", "RefNodes -launch_template-> ById", "RefNodes -node_role-> NodeRole"]);
  });
});

describe("Terraform aws_eks_node_group → aws.eks.node_group", () => {
  const hcl = `resource "aws_iam_role" "nodes" {
  name               = "eks-nodes"
  assume_role_policy = "{}"
}

resource "aws_launch_template" "by_id" {
  name_prefix = "nodes-"
}

resource "aws_launch_template" "by_name" {
  name = "nodes"
}

resource "aws_eks_node_group" "ref" {
  cluster_name  = "prod"
  node_role_arn = aws_iam_role.nodes.arn
  subnet_ids    = ["subnet-0123"]
  launch_template {
    id      = aws_launch_template.by_id.id
    version = "$Latest"
  }
}

resource "aws_eks_node_group" "named" {
  cluster_name  = "prod"
  node_role_arn = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids    = ["subnet-0123"]
  launch_template {
    name    = "nodes"
    version = "3"
  }
}`;

  it("reads the launch template and the node role", async () => {
    const groups = nodeGroups(await tfNodes(hcl));
    expect(groups.map((g) => [g.address, g.attributes]).sort()).toEqual([
      ["aws_eks_node_group.named", { launch_template: { name: "nodes", version: "3" }, node_role: "arn:aws:iam::123456789012:role/eks-nodes" }],
      ["aws_eks_node_group.ref", { launch_template: { id: expect.anything(), version: "$Latest" }, node_role: expect.anything() }],
    ]);
  });

  it("links the launch template by reference and by name, and the node role", async () => {
    const edges = edgesOf(await tfNodes(hcl), TERRAFORM_KINDS).filter((e) => e.startsWith("aws_eks_node_group"));
    expect(edges).toEqual([
      "aws_eks_node_group.named -launch_template-> aws_launch_template.by_name",
      "aws_eks_node_group.ref -launch_template-> aws_launch_template.by_id",
      "aws_eks_node_group.ref -node_role-> aws_iam_role.nodes",
    ]);
  });
});
