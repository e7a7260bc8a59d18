// Templates read together: Fn::ImportValue of another template's export, nested stacks' outputs.
// Each row is run with the templates written as YAML and as JSON.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ResourceGraph } from "../../../src/graph/graph.js";
import { linkScope } from "../../../src/graph/link.js";
import { CLOUDFORMATION_KINDS } from "../../../src/parsers/cloudformation/adapters.js";
import { readLinkedTemplates } from "../../../src/parsers/cloudformation/linked-stacks.js";
import { Unknown } from "../../../src/values/value.js";

type Json = Record<string, unknown>;
const template = (resources: Json, extra: Json = {}): Json => ({ AWSTemplateFormatVersion: "2010-09-09", ...extra, Resources: resources });
const exported = (value: unknown, name: unknown) => ({ Value: value, Export: { Name: name } });

const SG = { Type: "AWS::EC2::SecurityGroup", Properties: { GroupDescription: "web" } };
const VPC = { Type: "AWS::EC2::VPC", Properties: { CidrBlock: "10.0.0.0/16" } };
const ingress = (groupId: unknown, cidr: unknown = "10.0.0.0/8") => ({
  Type: "AWS::EC2::SecurityGroupIngress",
  Properties: { GroupId: groupId, IpProtocol: "tcp", FromPort: 22, ToPort: 22, CidrIp: cidr },
});
const flowLog = (vpc: unknown) => ({
  Type: "AWS::EC2::FlowLog",
  Properties: { ResourceType: "VPC", ResourceId: vpc, TrafficType: "ALL", LogGroupName: "flows" },
});
const stack = (url: string, parameters?: Json) => ({ Type: "AWS::CloudFormation::Stack", Properties: { TemplateURL: url, ...(parameters ? { Parameters: parameters } : {}) } });
const getAtt = (id: string, attribute: string) => ({ "Fn::GetAtt": [id, attribute] });
const importValue = (name: unknown) => ({ "Fn::ImportValue": name });

/** The network stack most rows import from. */
const NETWORK = template(
  { Vpc: VPC, Web: { ...SG, Properties: { ...SG.Properties, VpcId: { Ref: "Vpc" } } } },
  {
    Parameters: { Env: { Type: "String", Default: "prod" }, Open: { Type: "String", Default: "0.0.0.0/0" } },
    Outputs: {
      WebSg: exported(getAtt("Web", "GroupId"), "shared-WebSg"),
      Admin: exported({ Ref: "Open" }, { "Fn::Join": [":", [{ Ref: "Env" }, "AdminCidr"]] }),
      StackVpc: exported({ Ref: "Vpc" }, { "Fn::Sub": "${AWS::StackName}-VpcId" }),
    },
  },
);

/** What a probe reads: the resources an edge leads to (`scope#address`) and an attribute's value. */
interface Probe {
  file: string;
  resource: string;
  edge: string;
  attribute?: string;
}
interface Expected {
  edge: string[];
  /** The attribute's value, or "unknown". */
  value?: unknown;
}
type Row = [name: string, files: Record<string, Json>, probe: Probe, expected: Expected, parameters?: Record<string, Record<string, string>>];

const rows: Row[] = [
  [
    "Fn::ImportValue of a literal export name: the exporting stack's resource",
    { "stacks/net.T": NETWORK, "stacks/app.T": template({ Ssh: ingress(importValue("shared-WebSg")) }) },
    { file: "stacks/app.T", resource: "Ssh", edge: "security_group" },
    { edge: ["stacks/net.T#Web"] },
  ],
  [
    "an export name joined from a parameter default; the imported value is the output's value",
    { "stacks/net.T": NETWORK, "stacks/app.T": template({ Ssh: ingress(importValue("shared-WebSg"), importValue("prod:AdminCidr")) }) },
    { file: "stacks/app.T", resource: "Ssh", edge: "security_group", attribute: "cidr_ipv4" },
    { edge: ["stacks/net.T#Web"], value: ["0.0.0.0/0"] },
  ],
  [
    "an export name with AWS::StackName is unknown without the stack name: not linked",
    { "stacks/net.T": NETWORK, "stacks/app.T": template({ Flows: flowLog(importValue("network-VpcId")) }) },
    { file: "stacks/app.T", resource: "Flows", edge: "resource", attribute: "resource" },
    { edge: [], value: "unknown" },
  ],
  [
    "an export name with AWS::StackName, the stack name given as a parameter of the template: linked",
    { "stacks/net.T": NETWORK, "stacks/app.T": template({ Flows: flowLog(importValue({ "Fn::Sub": ["${Net}-VpcId", { Net: "network" }] })) }) },
    { file: "stacks/app.T", resource: "Flows", edge: "resource" },
    { edge: ["stacks/net.T#Vpc"] },
    { "stacks/net.T": { "AWS::StackName": "network" } },
  ],
  [
    "two templates export the name: ambiguous, not linked",
    {
      "stacks/net.T": NETWORK,
      "stacks/net2.T": template({ Other: SG }, { Outputs: { WebSg: exported(getAtt("Other", "GroupId"), "shared-WebSg") } }),
      "stacks/app.T": template({ Ssh: ingress(importValue("shared-WebSg")) }),
    },
    { file: "stacks/app.T", resource: "Ssh", edge: "security_group", attribute: "security_group" },
    { edge: [], value: "unknown" },
  ],
  [
    "an export of a template in another folder: not linked",
    { "network/net.T": NETWORK, "stacks/app.T": template({ Ssh: ingress(importValue("shared-WebSg")) }) },
    { file: "stacks/app.T", resource: "Ssh", edge: "security_group" },
    { edge: [] },
  ],
  [
    "a chain of two stacks: an export of an imported value leads to the first stack's resource",
    {
      "stacks/a.T": template({ Vpc: VPC }, { Outputs: { Vpc: exported({ Ref: "Vpc" }, "shared-Vpc") } }),
      "stacks/b.T": template({ Sg: SG }, { Outputs: { Vpc: exported(importValue("shared-Vpc"), "again-Vpc") } }),
      "stacks/c.T": template({ Flows: flowLog(importValue("again-Vpc")) }),
    },
    { file: "stacks/c.T", resource: "Flows", edge: "resource" },
    { edge: ["stacks/a.T#Vpc"] },
  ],
  [
    "Fn::GetAtt of a nested stack's output: the nested template's resource, read with the parameters passed",
    {
      "stacks/main.T": template({ Child: stack("nested/sg.T", { Cidr: "0.0.0.0/0" }), Ssh: ingress(getAtt("Child", "Outputs.GroupId")) }),
      "stacks/nested/sg.T": template(
        { Sg: SG, Inner: ingress({ Ref: "Sg" }, { Ref: "Cidr" }) },
        { Parameters: { Cidr: { Type: "String" } }, Outputs: { GroupId: { Value: getAtt("Sg", "GroupId") } } },
      ),
    },
    { file: "stacks/main.T", resource: "Ssh", edge: "security_group" },
    { edge: ["stacks/main.T/Child#Sg"] },
  ],
  [
    "the nested template's own resources take the parameters the parent passes",
    {
      "stacks/main.T": template({ Child: stack("./nested/sg.T", { Cidr: "0.0.0.0/0" }) }),
      "stacks/nested/sg.T": template({ Sg: SG, Inner: ingress({ Ref: "Sg" }, { Ref: "Cidr" }) }, { Parameters: { Cidr: { Type: "String" } } }),
    },
    { file: "stacks/nested/sg.T", resource: "Inner", edge: "security_group", attribute: "cidr_ipv4" },
    { edge: ["stacks/main.T/Child#Sg"], value: ["0.0.0.0/0"] },
  ],
  [
    "a chain of two nested stacks: an output of an output",
    {
      "stacks/main.T": template({ Child: stack("child.T"), Ssh: ingress(getAtt("Child", "Outputs.GroupId")) }),
      "stacks/child.T": template({ Grand: stack("grand.T") }, { Outputs: { GroupId: { Value: getAtt("Grand", "Outputs.GroupId") } } }),
      "stacks/grand.T": template({ Sg: SG }, { Outputs: { GroupId: { Value: getAtt("Sg", "GroupId") } } }),
    },
    { file: "stacks/main.T", resource: "Ssh", edge: "security_group" },
    { edge: ["stacks/main.T/Child/Grand#Sg"] },
  ],
  [
    "a nested stack whose TemplateURL is an https URL is not read: the output is the stack resource's attribute",
    {
      "stacks/main.T": template({ Child: stack("https://example.com/sg.T"), Ssh: ingress(getAtt("Child", "Outputs.GroupId")) }),
      "stacks/sg.T": template({ Sg: SG }, { Outputs: { GroupId: { Value: getAtt("Sg", "GroupId") } } }),
    },
    { file: "stacks/main.T", resource: "Ssh", edge: "security_group", attribute: "security_group" },
    { edge: ["stacks/main.T#Child"], value: "unknown" },
  ],
];

const FORMATS = {
  yaml: { ext: "yaml", write: (t: Json) => stringify(t) },
  json: { ext: "json", write: (t: Json) => JSON.stringify(t, null, 2) },
};

function readRow(files: Record<string, Json>, format: keyof typeof FORMATS, parameters: Record<string, Record<string, string>> = {}) {
  const { ext, write } = FORMATS[format];
  const named = (path: string) => path.replace(/\.T\b/g, `.${ext}`);
  const inputs = Object.entries(files).map(([path, t]) => ({
    path: named(path),
    absolutePath: `/repo/${named(path)}`,
    text: named(write(t)),
    parameters: parameters[path] ?? {},
  }));
  const linked = readLinkedTemplates(inputs);
  const graph = new ResourceGraph();
  for (const n of linked.nodes) graph.addNode(n);
  linkScope(graph, linked.nodes, CLOUDFORMATION_KINDS);
  return { linked, graph, named };
}

describe("templates read together: values across stacks", () => {
  for (const format of Object.keys(FORMATS) as (keyof typeof FORMATS)[]) {
    it.each(rows)(`${format}: %s`, (_name, files, probe, expected, parameters) => {
      const { linked, graph, named } = readRow(files, format, parameters);
      for (const [path, t] of linked.templates) expect(t, path).toEqual({ isTemplate: true, diagnostics: [] });
      const node = linked.nodes.find((n) => n.source.path === named(probe.file) && n.address === probe.resource && !n.childPath);
      expect(node, probe.resource).toBeDefined();
      expect(graph.related(node!, probe.edge).map((n) => named(n.id).replace(`.${FORMATS[format].ext}`, ".T"))).toEqual(
        expected.edge.map((e) => named(e).replace(`.${FORMATS[format].ext}`, ".T")),
      );
      if (probe.attribute) {
        const value = node!.attributes[probe.attribute];
        expect(value instanceof Unknown ? "unknown" : value).toEqual(expected.value);
      }
    });
  }

  it("a template nested by another is read only through its parent: its resources once, in the parent's scope", () => {
    const { linked } = readRow(
      {
        "stacks/main.T": template({ Child: stack("sg.T") }),
        "stacks/sg.T": template({ Sg: SG }),
      },
      "yaml",
    );
    expect(linked.nodes.filter((n) => n.address === "Sg").map((n) => n.scope)).toEqual(["stacks/main.yaml/Child"]);
  });

  it("templates that nest each other (a loop) are each read, as stacks of their own", () => {
    const { linked } = readRow({ "stacks/a.T": template({ B: stack("b.T"), A1: SG }), "stacks/b.T": template({ A: stack("a.T"), B1: SG }) }, "json");
    const scopes = (id: string) => linked.nodes.filter((n) => n.address === id).map((n) => n.scope);
    expect(scopes("A1")).toEqual(["stacks/a.json"]);
    expect(scopes("B1")).toEqual(["stacks/a.json/B"]);
  });
});
