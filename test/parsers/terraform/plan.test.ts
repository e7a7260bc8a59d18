import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mapResource, type NativeResource } from "../../../src/graph/mapping.js";
import { TERRAFORM_KINDS } from "../../../src/parsers/terraform/adapters.js";
import { isPlanJson, readPlan, splitInstanceKeys } from "../../../src/parsers/terraform/plan.js";
import { view } from "../../helpers/view.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/terraform/plan/${name}`, import.meta.url));

function read(name: string) {
  const absolutePath = fixture(name);
  const text = readFileSync(absolutePath, "utf8");
  const display = `test/fixtures/terraform/plan/${name}`;
  return readPlan(display, absolutePath, text, root);
}

/** Reads a plan written inline (no .tf files beside it: positions come from the plan). */
function readInline(plan: unknown) {
  const text = typeof plan === "string" ? plan : JSON.stringify(plan, null, 2);
  return readPlan("inline/plan.json", "/nonexistent-parapet-dir/plan.json", text, "/nonexistent-parapet-dir");
}

function byAddress(resources: NativeResource[], address: string, instance = ""): NativeResource {
  const found = resources.find((r) => r.address === address && (r.instance ?? "") === instance);
  if (!found) throw new Error(`no ${address}${instance}; have ${resources.map((r) => r.address + (r.instance ?? "")).join(", ")}`);
  return found;
}

const lineOf = (r: NativeResource, ...path: (string | number)[]) => {
  const at = r.source.locate([...r.resourcePath, ...path]);
  return at && { line: at.line, column: at.column };
};

const nodesOf = (r: NativeResource) => mapResource(r, TERRAFORM_KINDS[r.nativeType]).map((n) => ({ kind: n.kind, childPath: n.childPath, attributes: view(n.attributes) }));

describe("isPlanJson", () => {
  it("recognises plans and shown state, nothing else", () => {
    expect(isPlanJson({ format_version: "1.2", terraform_version: "1.9.5", planned_values: {} })).toBe(true);
    expect(isPlanJson({ format_version: "1.0", terraform_version: "1.9.5", values: { root_module: {} } })).toBe(true);
    expect(isPlanJson({ format_version: "1.0", provider_schemas: {} })).toBe(false);
    expect(isPlanJson({ AWSTemplateFormatVersion: "2010-09-09", Resources: {} })).toBe(false);
    expect(isPlanJson({ format_version: 1, planned_values: {} })).toBe(false);
    expect(isPlanJson([])).toBe(false);
    expect(isPlanJson(null)).toBe(false);
    expect(isPlanJson("plan")).toBe(false);
  });
});

describe("splitInstanceKeys", () => {
  it("strips the keys of modules and resources, quotes included", () => {
    expect(splitInstanceKeys("aws_instance.web[0]")).toEqual({ base: "aws_instance.web", keys: ["[0]"] });
    expect(splitInstanceKeys('module.a["x.y"].module.b[2].aws_sg.this["k]\\"q"]')).toEqual({
      base: "module.a.module.b.aws_sg.this",
      keys: ['["x.y"]', "[2]", '["k]\\"q"]'],
    });
    expect(splitInstanceKeys("aws_security_group.ssh")).toEqual({ base: "aws_security_group.ssh", keys: [] });
  });
});

describe("readPlan with the configuration beside the plan", () => {
  const result = read("with-config/plan.json");
  const { resources } = result;

  it("reads every managed resource that will exist, and no data source or deleted resource", () => {
    expect(result.diagnostics).toEqual([]);
    expect(resources.map((r) => [r.address, r.instance, r.nativeType])).toEqual([
      ["aws_iam_instance_profile.web", "", "aws_iam_instance_profile"],
      ["aws_instance.web", "", "aws_instance"],
      ["aws_instance.web", "[1]", "aws_instance"],
      ["aws_security_group.ssh", "", "aws_security_group"],
      ["module.web.aws_security_group.this", "", "aws_security_group"],
    ]);
    for (const r of resources) {
      expect(r.format).toBe("terraform");
      expect(r.scope).toBe("test/fixtures/terraform/plan/with-config/plan.json");
    }
  });

  it("drops nulls, keeps known values and makes after_unknown paths unknown", () => {
    const web1 = byAddress(resources, "aws_instance.web", "[1]");
    const body = view(web1.body) as Record<string, unknown>;
    expect(body).not.toHaveProperty("hibernation");
    expect(body).not.toHaveProperty("volume_tags");
    expect(body).not.toHaveProperty("timeouts");
    expect(body["tags"]).toEqual({ Name: "web-1" });
    expect(body["metadata_options"]).toEqual([
      {
        http_tokens: "required",
        http_endpoint: { unknown: "aws_instance.web[1].metadata_options[0].http_endpoint is known only after apply" },
        http_protocol_ipv6: { unknown: "aws_instance.web[1].metadata_options[0].http_protocol_ipv6 is known only after apply" },
        http_put_response_hop_limit: { unknown: "aws_instance.web[1].metadata_options[0].http_put_response_hop_limit is known only after apply" },
        instance_metadata_tags: { unknown: "aws_instance.web[1].metadata_options[0].instance_metadata_tags is known only after apply" },
      },
    ]);
    expect((body["root_block_device"] as Record<string, unknown>[])[0]).toMatchObject({
      delete_on_termination: true,
      encrypted: true,
      volume_type: "gp3",
      kms_key_id: { unknown: "aws_instance.web[1].root_block_device[0].kms_key_id is known only after apply" },
    });
    expect((body["root_block_device"] as Record<string, unknown>[])[0]).not.toHaveProperty("tags");
    // Computed attributes the configuration does not write (id, arn, ...) are left out.
    expect(body).not.toHaveProperty("id");
    // The configuration tells which resource an unknown value comes from.
    expect(body["iam_instance_profile"]).toEqual({
      unknown: "aws_instance.web[1].iam_instance_profile is known only after apply",
      ref: { target: "aws_iam_instance_profile.web", attribute: "name" },
    });
    expect(body["vpc_security_group_ids"]).toEqual({
      unknown: "aws_instance.web[1].vpc_security_group_ids is known only after apply",
      ref: { target: "aws_security_group.ssh", attribute: "id" },
    });
    // Unknown without a written expression: no reference.
    // Unknown and not written in the configuration: computed by the provider, so left out.
    expect(body).not.toHaveProperty("subnet_id");
    expect(web1.body).not.toHaveProperty("id");
  });

  it("adapts a security group with an ingress from anywhere to sg_rule nodes", () => {
    const nodes = nodesOf(byAddress(resources, "aws_security_group.ssh"));
    expect(nodes.map((n) => [n.kind, n.childPath])).toEqual([
      ["aws.ec2.security_group", undefined],
      ["aws.ec2.sg_rule", ["ingress", 0]],
      ["aws.ec2.sg_rule", ["egress", 0]],
    ]);
    expect(nodes[0]!.attributes).toEqual({ name: "admin-ssh", description: "SSH for administrators", vpc: "vpc-0a1b2c3d4e5f60718" });
    expect(nodes[1]!.attributes).toMatchObject({
      direction: "ingress",
      protocol: "tcp",
      from_port: 22,
      to_port: 22,
      cidr_ipv4: ["0.0.0.0/0"],
      cidr_ipv6: [],
      self: false,
      description: "SSH",
      security_group: { ref: { target: "aws_security_group.ssh" } },
    });
    expect(nodes[2]!.attributes).toMatchObject({ direction: "egress", protocol: "all", cidr_ipv4: ["0.0.0.0/0"] });
  });

  it("adapts the instances: known volume encryption, unknown profile with its reference", () => {
    const nodes = nodesOf(byAddress(resources, "aws_instance.web"));
    expect(nodes[0]).toMatchObject({
      kind: "aws.ec2.instance",
      attributes: {
        "metadata_options": { http_tokens: "required" },
        iam_instance_profile: { ref: { target: "aws_iam_instance_profile.web", attribute: "name" } },
        // Not written and computed by the provider: left out, so the adapter's default applies as for HCL.
        monitoring: false,
      },
    });
    const volumes = nodes.filter((n) => n.kind === "aws.ebs.volume");
    expect(volumes[0]).toMatchObject({ childPath: ["root_block_device", 0], attributes: { encrypted: true, volume_type: "gp3" } });
    // ebs_block_device is computed by the provider when not written: left out, as in the .tf source.
    expect(volumes).toHaveLength(1);
  });

  it("points resources at their blocks in the .tf files", () => {
    const ssh = byAddress(resources, "aws_security_group.ssh");
    expect(ssh.source.path).toBe("test/fixtures/terraform/plan/with-config/main.tf");
    expect(ssh.resourcePath).toEqual(["resource", "aws_security_group", "ssh", 0]);
    expect(ssh.bodyPath).toEqual(ssh.resourcePath);
    expect(lineOf(ssh)).toEqual({ line: 19, column: 1 });
    expect(lineOf(ssh, "ingress", 0, "cidr_blocks")).toEqual({ line: 29, column: 5 });
    expect(lineOf(ssh, "egress", 0, "protocol")).toEqual({ line: 35, column: 5 });

    // A bare label; the security group commented out in this file is not taken for the real one.
    for (const instance of ["", "[1]"]) {
      const web = byAddress(resources, "aws_instance.web", instance);
      expect(web.source.path).toBe("test/fixtures/terraform/plan/with-config/instances.tf");
      expect(lineOf(web)).toEqual({ line: 7, column: 1 });
      expect(lineOf(web, "root_block_device", 0, "encrypted")).toEqual({ line: 15, column: 5 });
    }
  });

  it("finds local modules through configuration.module_calls, dynamic blocks included", () => {
    const sg = byAddress(resources, "module.web.aws_security_group.this");
    expect(sg.source.path).toBe("test/fixtures/terraform/plan/with-config/modules/web/main.tf");
    expect(sg.resourcePath).toEqual(["resource", "aws_security_group", "this", 0]);
    expect(lineOf(sg)).toEqual({ line: 10, column: 1 });
    // Both generated ingress blocks point at the dynamic block's content.
    expect(lineOf(sg, "ingress", 0, "cidr_blocks")).toEqual({ line: 20, column: 7 });
    expect(lineOf(sg, "ingress", 1, "from_port")).toEqual({ line: 17, column: 7 });
    const rules = nodesOf(sg).filter((n) => n.kind === "aws.ec2.sg_rule");
    const summary = (n: (typeof rules)[number]) => {
      const a = n.attributes as Record<string, unknown>;
      return [n.childPath, a["direction"], a["from_port"], a["cidr_ipv4"]];
    };
    expect(rules.map(summary)).toEqual([
      [["ingress", 0], "ingress", 443, ["0.0.0.0/0"]],
      [["ingress", 1], "ingress", 80, ["0.0.0.0/0"]],
      // egress is not written: the provider fills it in; like the .tf source, the node has none.
    ]);
    expect(sg.body).not.toHaveProperty("name");
  });

  it("lists the files it read: the plan first, then the .tf files in order of use", () => {
    expect(result.sources.map((s) => s.path)).toEqual([
      "test/fixtures/terraform/plan/with-config/plan.json",
      "test/fixtures/terraform/plan/with-config/instances.tf",
      "test/fixtures/terraform/plan/with-config/main.tf",
      "test/fixtures/terraform/plan/with-config/modules/web/main.tf",
    ]);
  });
});

describe("readPlan without configuration files", () => {
  const result = read("plan-only/plan.json");
  const { resources } = result;

  it("reads root and module resources, for_each instances apart", () => {
    expect(result.diagnostics).toEqual([]);
    expect(resources.map((r) => [r.address, r.instance])).toEqual([
      ["aws_security_group.win", ""],
      ["aws_security_group_rule.winrm", ""],
      ["aws_vpc_security_group_ingress_rule.rdp", ""],
      ["aws_vpc_security_group_ingress_rule.rdp", '["office"]'],
      ["module.bastion.aws_instance.this", ""],
    ]);
    expect(resources.every((r) => r.source.path === "test/fixtures/terraform/plan/plan-only/plan.json")).toBe(true);
    expect(result.sources.map((s) => s.path)).toEqual(["test/fixtures/terraform/plan/plan-only/plan.json"]);
  });

  it("points at the values in the plan", () => {
    const anywhere = byAddress(resources, "aws_vpc_security_group_ingress_rule.rdp");
    expect(anywhere.resourcePath).toEqual(["planned_values", "root_module", "resources", 2, "values"]);
    expect(anywhere.bodyPath).toEqual(anywhere.resourcePath);
    expect(lineOf(anywhere, "cidr_ipv4")).toEqual({ line: 59, column: 13 });
    const bastion = byAddress(resources, "module.bastion.aws_instance.this");
    expect(bastion.resourcePath).toEqual(["planned_values", "root_module", "child_modules", 0, "resources", 0, "values"]);
    expect(lineOf(bastion, "root_block_device", 0, "encrypted")).toEqual({ line: 124, column: 21 });
    expect(lineOf(bastion, "metadata_options", 0, "http_tokens")).toEqual({ line: 117, column: 21 });
  });

  it("adapts for_each rules: one from anywhere, one from the office", () => {
    const anywhere = nodesOf(byAddress(resources, "aws_vpc_security_group_ingress_rule.rdp"));
    const office = nodesOf(byAddress(resources, "aws_vpc_security_group_ingress_rule.rdp", '["office"]'));
    expect(anywhere).toEqual([
      {
        kind: "aws.ec2.sg_rule",
        childPath: undefined,
        attributes: {
          direction: "ingress",
          security_group: {
            unknown: 'aws_vpc_security_group_ingress_rule.rdp["anywhere"].security_group_id is known only after apply',
            ref: { target: "aws_security_group.win", attribute: "id" },
          },
          protocol: "tcp",
          from_port: 3389,
          to_port: 3389,
          cidr_ipv4: ["0.0.0.0/0"],
          description: "RDP from anywhere",
        },
      },
    ]);
    expect(office[0]!.attributes).toMatchObject({ cidr_ipv4: ["203.0.113.0/24"] });
  });

  it("leaves out null arguments so that no null CIDR appears", () => {
    const winrm = byAddress(resources, "aws_security_group_rule.winrm");
    expect(Object.keys(winrm.body).sort()).toEqual(["from_port", "protocol", "security_group_id", "self", "source_security_group_id", "to_port", "type"]);
    const [node] = nodesOf(winrm);
    expect(node!.attributes).not.toHaveProperty("cidr_ipv4");
    expect(node!.attributes).toMatchObject({
      direction: "ingress",
      // A module output is not a resource of this module: no reference.
      peer_security_group: { unknown: "aws_security_group_rule.winrm.source_security_group_id is known only after apply" },
    });
    expect((node!.attributes as Record<string, unknown>)["peer_security_group"]).not.toHaveProperty("ref");
  });

  it("adapts a module's instance: unencrypted root volume, optional tokens, defaults for nulls", () => {
    const nodes = nodesOf(byAddress(resources, "module.bastion.aws_instance.this"));
    expect(nodes[0]!.attributes).toMatchObject({
      "metadata_options": { http_tokens: "optional", http_endpoint: "enabled" },
      monitoring: false, // null in the plan: the adapter's default
      associate_public_ip: true,
    });
    expect(nodes[0]!.attributes).not.toHaveProperty("iam_instance_profile");
    expect(nodes[0]!.attributes).not.toHaveProperty("user_data");
    expect(nodes.find((n) => n.kind === "aws.ebs.volume" && n.childPath?.[0] === "root_block_device")?.attributes).toMatchObject({
      encrypted: false,
      owner: { ref: { target: "module.bastion.aws_instance.this" } },
    });
  });
});

describe("readPlan on odd input", () => {
  it("reports JSON that cannot be parsed, with its position", () => {
    const result = readInline('{\n  "format_version": "1.2",\n  "planned_values": {,\n}');
    expect(result.resources).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.message).toMatch(/^invalid JSON/);
    expect(result.diagnostics[0]!.line).toBe(3);
  });

  it("reports JSON that is no plan, and an unsupported major version", () => {
    expect(readInline({ hello: "world" }).diagnostics[0]!.message).toMatch(/not a Terraform plan/);
    const v2 = readInline({ format_version: "2.0", planned_values: {} });
    expect(v2.resources).toEqual([]);
    expect(v2.diagnostics).toEqual([{ message: expect.stringMatching(/format_version 2\.0/), line: 2, column: 3 }]);
  });

  it("skips what it cannot read and never throws", () => {
    const odd = [
      { format_version: "1.2", planned_values: null },
      { format_version: "1.2", planned_values: { root_module: { resources: "none", child_modules: [null, 3, { resources: [null] }] } } },
      { format_version: "1.2", planned_values: { root_module: { resources: [{ address: "aws_instance.x", mode: "managed", name: "x" }] } } },
      { format_version: "1.2", resource_changes: "x", configuration: [], planned_values: { root_module: { resources: [{ type: "aws_instance", name: "x", values: 7 }] } } },
    ];
    const results = odd.map((plan) => readInline(plan));
    expect(results.map((r) => r.diagnostics)).toEqual([[], [], [], []]);
    expect(results.slice(0, 3).map((r) => r.resources.length)).toEqual([0, 0, 0]);
    expect(results[3]!.resources.map((r) => [r.address, view(r.body)])).toEqual([["aws_instance.x", {}]]);
  });

  it("skips resources that are only deleted, and reads a shown state", () => {
    const plan = {
      format_version: "1.2",
      planned_values: {
        root_module: {
          resources: [
            { address: "aws_instance.gone", mode: "managed", type: "aws_instance", name: "gone", values: { ami: "ami-1" } },
            { address: "aws_instance.new", mode: "managed", type: "aws_instance", name: "new", values: { ami: "ami-2" } },
          ],
        },
      },
      resource_changes: [
        { address: "aws_instance.gone", change: { actions: ["delete"] } },
        { address: "aws_instance.new", change: { actions: ["delete", "create"], after_unknown: { id: true } } },
        // A deposed object of the same address does not hide the replacement.
        { address: "aws_instance.new", deposed: "00000001", change: { actions: ["delete"] } },
      ],
    };
    expect(readInline(plan).resources.map((r) => [r.address, view(r.body)])).toEqual([
      ["aws_instance.new", { ami: "ami-2", id: { unknown: "aws_instance.new.id is known only after apply" } }],
    ]);
    const state = {
      format_version: "1.0",
      terraform_version: "1.9.5",
      values: { root_module: { resources: [{ address: "aws_ebs_volume.a", mode: "managed", type: "aws_ebs_volume", name: "a", values: { encrypted: true, kms_key_id: null } }] } },
    };
    const read = readInline(state).resources;
    expect(read.map((r) => [r.address, view(r.body), r.resourcePath])).toEqual([
      ["aws_ebs_volume.a", { encrypted: true }, ["values", "root_module", "resources", 0, "values"]],
    ]);
  });

  it("turns unknown list items and keys that are absent from values into unknowns", () => {
    const plan = {
      format_version: "1.2",
      planned_values: {
        root_module: { resources: [{ address: "aws_security_group.x", mode: "managed", type: "aws_security_group", name: "x", values: { ingress: [{ cidr_blocks: [null, "10.0.0.0/8"], from_port: 22 }] } }] },
      },
      resource_changes: [{ address: "aws_security_group.x", change: { actions: ["create"], after_unknown: { ingress: [{ cidr_blocks: [true, false], to_port: true }], tags: { a: true } } } }],
    };
    const [sg] = readInline(plan).resources;
    expect(view(sg!.body)).toEqual({
      ingress: [
        {
          cidr_blocks: [{ unknown: "aws_security_group.x.ingress[0].cidr_blocks[0] is known only after apply" }, "10.0.0.0/8"],
          from_port: 22,
          to_port: { unknown: "aws_security_group.x.ingress[0].to_port is known only after apply" },
        },
      ],
    });
  });
});
