#!/usr/bin/env node
/**
 * Deterministic benchmark corpus: CloudFormation templates (YAML and JSON) and Terraform
 * modules with the kinds of resources parapet's rules look at. Every value comes from a
 * seeded generator keyed by (seed, set, index), so the same seed always writes the same
 * bytes, and a file does not depend on how many others are written next to it.
 *
 * Usage as a script: node bench/corpus.mjs <folder> [--seed N] [--quick] [--growth]
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Resources in one small template (and in one Terraform root module). */
export const SMALL_RESOURCES = 11;
/** Resources in the large CloudFormation template. */
export const BIG_RESOURCES = 5000;
/** Groups of the eleven resource kinds in one large Terraform file. */
export const TF_LARGE_GROUPS = 40;

/** Sizes of the full corpus and of the `--quick` one. */
export const SIZES = {
  full: { yaml: 1000, json: 1000, bigResources: BIG_RESOURCES, tfModules: 100, tfLarge: 20, growth: 10000 },
  quick: { yaml: 100, json: 100, bigResources: 1000, tfModules: 20, tfLarge: 4, growth: 1000 },
};

// ---------------------------------------------------------------------------------------
// Seeded random numbers

/** FNV-1a hash of a string, used to derive one seed per generated file. */
function hashString(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A small seeded generator (mulberry32) with the helpers the templates need. */
export function createRandom(seed, key = "") {
  let state = (hashString(`${seed}:${key}`) ^ 0x9e3779b9) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    hex: (length) => {
      let out = "";
      while (out.length < length) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Shared vocabulary

const TEAMS = ["payments", "search", "billing", "identity", "catalog", "orders", "reports", "ingest", "media", "alerts"];
const ROLES = ["web", "api", "worker", "batch", "cache", "proxy", "queue", "etl"];
const INSTANCE_TYPES = ["t3.micro", "t3.small", "t3.medium", "m6i.large", "c6i.large", "r6i.large"];
const VOLUME_TYPES = ["gp3", "gp2", "io2", "st1"];
const REGIONS_AZ = ["us-east-1a", "us-east-1b", "eu-west-1a", "eu-west-1b", "ap-southeast-2a"];
const PACKAGES = ["nginx", "amazon-cloudwatch-agent", "jq", "git", "docker", "python3", "htop", "chrony"];
/** Ingress rules to pick from: most are harmless, a few open admin ports to the internet. */
const INGRESS = [
  { from: 443, to: 443, cidr: "0.0.0.0/0", what: "HTTPS from anywhere" },
  { from: 80, to: 80, cidr: "0.0.0.0/0", what: "HTTP from anywhere" },
  { from: 8080, to: 8080, cidr: "10.0.0.0/8", what: "application port from the private network" },
  { from: 5432, to: 5432, cidr: "10.20.0.0/16", what: "PostgreSQL from the data subnets" },
  { from: 6379, to: 6379, cidr: "10.30.0.0/16", what: "Redis from the cache subnets" },
  { from: 22, to: 22, cidr: "10.0.0.0/8", what: "SSH from the private network" },
  { from: 22, to: 22, cidr: "0.0.0.0/0", what: "SSH from anywhere" },
  { from: 3389, to: 3389, cidr: "0.0.0.0/0", what: "RDP from anywhere" },
  { from: 9100, to: 9100, cidr: "10.40.0.0/16", what: "metrics scraper" },
];

/** Everything that varies in one group of the eleven resources. */
function groupValues(rng, index) {
  const team = rng.pick(TEAMS);
  const role = rng.pick(ROLES);
  const octet = index % 250;
  const ingressCount = rng.int(3, 6);
  const ingress = [];
  const used = new Set();
  while (ingress.length < ingressCount) {
    const rule = rng.pick(INGRESS);
    const key = `${rule.from}/${rule.cidr}`;
    if (used.has(key)) continue;
    used.add(key);
    ingress.push(rule);
  }
  const instance = (n) => ({
    type: rng.pick(INSTANCE_TYPES),
    imdsv2: rng.chance(0.8),
    rootSize: rng.pick([8, 16, 20, 30, 50]),
    rootEncrypted: rng.chance(0.85),
    dataSize: rng.pick([50, 100, 200, 500]),
    dataType: rng.pick(VOLUME_TYPES),
    dataEncrypted: rng.chance(0.75),
    packages: [rng.pick(PACKAGES), rng.pick(PACKAGES), rng.pick(PACKAGES)],
    port: rng.pick([8080, 8443, 9000, 3000]),
    secretInUserData: rng.chance(0.05),
    name: `${team}-${role}-${index}-${n}`,
  });
  return {
    team,
    role,
    index,
    vpcCidr: `10.${octet}.0.0/16`,
    subnetA: `10.${octet}.${rng.int(0, 63)}.0/24`,
    subnetB: `10.${octet}.${rng.int(64, 127)}.0/24`,
    azA: rng.pick(REGIONS_AZ),
    azB: rng.pick(REGIONS_AZ),
    publicSubnet: rng.chance(0.2),
    ingress,
    instances: [instance("a"), instance("b")],
    volumeSize: rng.int(10, 1000),
    volumeEncrypted: rng.chance(0.8),
    keyRotation: rng.chance(0.7),
    adminRole: rng.chance(0.1),
    trailMultiRegion: rng.chance(0.7),
    trailValidation: rng.chance(0.8),
    trailEncrypted: rng.chance(0.6),
    bucket: `${team}-audit-${rng.hex(8)}`,
    ami: `ami-0${rng.hex(16)}`,
    accessKeyId: `AKIA${rng.hex(16).toUpperCase()}`,
  };
}

function userDataScript(v, inst) {
  const lines = [
    "#!/bin/bash",
    "set -euo pipefail",
    `dnf install -y ${inst.packages.join(" ")}`,
    `echo "${inst.name}" > /etc/hostname`,
    `systemctl enable --now ${inst.packages[0]}`,
    `/opt/${v.role}/bin/start --port ${inst.port} --stack \${AWS::StackName} --region \${AWS::Region}`,
  ];
  if (inst.secretInUserData) lines.push(`export AWS_ACCESS_KEY_ID=${v.accessKeyId}`);
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------
// CloudFormation: templates as plain objects, written as JSON or as YAML with short tags

const ref = (name) => ({ Ref: name });
const getAtt = (name, attribute) => ({ "Fn::GetAtt": [name, attribute] });
const sub = (text) => ({ "Fn::Sub": text });
const tags = (v, name) => [
  { Key: "Name", Value: name },
  { Key: "Team", Value: v.team },
];

/** The eleven resources of one group; `p` prefixes the logical ids, `compact` trims bulk. */
function cfnResources(v, p, compact) {
  const r = {};
  r[`${p}Vpc`] = {
    Type: "AWS::EC2::VPC",
    Properties: compact
      ? { CidrBlock: v.vpcCidr }
      : { CidrBlock: v.vpcCidr, EnableDnsSupport: true, EnableDnsHostnames: true, Tags: tags(v, `${v.team}-vpc`) },
  };
  for (const [suffix, cidr, az] of [["A", v.subnetA, v.azA], ["B", v.subnetB, v.azB]]) {
    r[`${p}Subnet${suffix}`] = {
      Type: "AWS::EC2::Subnet",
      Properties: {
        VpcId: ref(`${p}Vpc`),
        CidrBlock: cidr,
        ...(compact ? {} : { AvailabilityZone: az }),
        MapPublicIpOnLaunch: suffix === "A" && v.publicSubnet,
        ...(compact ? {} : { Tags: tags(v, `${v.team}-subnet-${suffix.toLowerCase()}`) }),
      },
    };
  }
  const ingress = compact ? v.ingress.slice(0, 2) : v.ingress;
  r[`${p}SecurityGroup`] = {
    Type: "AWS::EC2::SecurityGroup",
    Properties: {
      GroupDescription: `${v.role} servers of ${v.team}`,
      VpcId: ref(`${p}Vpc`),
      SecurityGroupIngress: ingress.map((rule) => ({
        IpProtocol: "tcp",
        FromPort: rule.from,
        ToPort: rule.to,
        CidrIp: rule.cidr,
        ...(compact ? {} : { Description: rule.what }),
      })),
    },
  };
  v.instances.forEach((inst, n) => {
    const id = n === 0 ? "A" : "B";
    const devices = [
      {
        DeviceName: "/dev/xvda",
        Ebs: compact
          ? { VolumeSize: inst.rootSize, Encrypted: inst.rootEncrypted }
          : { VolumeSize: inst.rootSize, VolumeType: "gp3", Encrypted: inst.rootEncrypted, DeleteOnTermination: true },
      },
    ];
    if (!compact) {
      devices.push({
        DeviceName: "/dev/sdf",
        Ebs: { VolumeSize: inst.dataSize, VolumeType: inst.dataType, Encrypted: inst.dataEncrypted, KmsKeyId: ref(`${p}Key`) },
      });
    }
    r[`${p}Instance${id}`] = {
      Type: "AWS::EC2::Instance",
      Properties: {
        ImageId: ref("ImageId"),
        InstanceType: inst.type,
        SubnetId: ref(`${p}Subnet${id}`),
        SecurityGroupIds: [ref(`${p}SecurityGroup`)],
        IamInstanceProfile: ref(`${p}InstanceProfile`),
        MetadataOptions: { HttpTokens: inst.imdsv2 ? "required" : "optional" },
        BlockDeviceMappings: devices,
        UserData: { "Fn::Base64": compact ? `#!/bin/bash\nsystemctl start ${inst.packages[0]}\n` : sub(userDataScript(v, inst)) },
        ...(compact ? {} : { Tags: tags(v, inst.name) }),
      },
    };
  });
  r[`${p}DataVolume`] = {
    Type: "AWS::EC2::Volume",
    Properties: {
      AvailabilityZone: getAtt(`${p}InstanceA`, "AvailabilityZone"),
      Size: v.volumeSize,
      ...(compact ? {} : { VolumeType: "gp3" }),
      Encrypted: v.volumeEncrypted,
      ...(v.volumeEncrypted ? { KmsKeyId: ref(`${p}Key`) } : {}),
    },
  };
  r[`${p}Key`] = {
    Type: "AWS::KMS::Key",
    Properties: compact ? { EnableKeyRotation: v.keyRotation } : {
      Description: `Data key of ${v.team}`,
      EnableKeyRotation: v.keyRotation,
      KeyPolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdmin",
            Effect: "Allow",
            Principal: { AWS: sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") },
            Action: "kms:*",
            Resource: "*",
          },
        ],
      },
    },
  };
  r[`${p}Role`] = {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: {
        ...(compact ? {} : { Version: "2012-10-17" }),
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      },
      ManagedPolicyArns: [
        compact
          ? (v.adminRole ? "arn:aws:iam::aws:policy/AdministratorAccess" : "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
          : sub(v.adminRole ? "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess" : "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"),
      ],
    },
  };
  r[`${p}InstanceProfile`] = { Type: "AWS::IAM::InstanceProfile", Properties: { Roles: [ref(`${p}Role`)] } };
  r[`${p}Trail`] = {
    Type: "AWS::CloudTrail::Trail",
    Properties: {
      IsLogging: true,
      S3BucketName: v.bucket,
      IsMultiRegionTrail: v.trailMultiRegion,
      EnableLogFileValidation: v.trailValidation,
      ...(v.trailEncrypted ? { KMSKeyId: ref(`${p}Key`) } : {}),
    },
  };
  return r;
}

function cfnTemplate(description, resources) {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: description,
    Parameters: {
      ImageId: { Type: "AWS::EC2::Image::Id", Description: "Machine image of the servers", Default: "ami-0abcdef1234567890" },
    },
    Resources: resources,
  };
}

/** The small template number `index` as a plain object (long-form intrinsic functions). */
export function smallTemplate(seed, index) {
  const v = groupValues(createRandom(seed, `small:${index}`), index);
  return cfnTemplate(`${v.role} tier of ${v.team}, stack ${index}`, cfnResources(v, "", false));
}

/** The large template: groups of the same eleven kinds until `resources` resources. */
export function bigTemplate(seed, resources = BIG_RESOURCES) {
  const all = {};
  let count = 0;
  for (let g = 0; count < resources; g++) {
    const v = groupValues(createRandom(seed, `big:${g}`), g);
    for (const [id, resource] of Object.entries(cfnResources(v, `G${g}`, true))) {
      if (count === resources) break;
      all[id] = resource;
      count++;
    }
  }
  return cfnTemplate(`Every tier of every team in one stack, ${resources} resources`, all);
}

// --- YAML writer -----------------------------------------------------------------------

const PLAIN = /^[A-Za-z_/][A-Za-z0-9 _./:*()-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(value) {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  if (PLAIN.test(value) && !RESERVED.test(value) && !value.includes(": ") && !value.endsWith(" ") && !value.endsWith(":")) {
    return value;
  }
  return JSON.stringify(value);
}

function isIntrinsicShort(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const [key] = keys;
  if (key === "Ref") return typeof value.Ref === "string";
  if (key === "Fn::GetAtt") return Array.isArray(value[key]) && value[key].every((x) => typeof x === "string");
  if (key === "Fn::Sub") return typeof value[key] === "string";
  return false;
}

/** Text after `key:` or `- ` for a value that fits on that line, else null. */
function inline(value, indent) {
  if (value === null || typeof value !== "object") {
    // Scripts of several lines as block literals, a line or two as a quoted scalar.
    if (typeof value === "string" && value.split("\n").length > 3) return blockLiteral(value, indent);
    return ` ${scalar(value)}`;
  }
  if (isIntrinsicShort(value)) {
    if ("Ref" in value) return ` !Ref ${scalar(value.Ref)}`;
    if ("Fn::GetAtt" in value) return ` !GetAtt ${value["Fn::GetAtt"].join(".")}`;
    const text = value["Fn::Sub"];
    return text.split("\n").length > 3 ? ` !Sub${blockLiteral(text, indent)}` : ` !Sub ${scalar(text)}`;
  }
  if (Array.isArray(value) && value.length === 0) return " []";
  if (!Array.isArray(value) && Object.keys(value).length === 0) return " {}";
  return null;
}

function blockLiteral(text, indent) {
  const pad = " ".repeat(indent + 2);
  const chomp = text.endsWith("\n") ? "" : "-";
  const body = text.replace(/\n$/, "").split("\n").map((line) => (line ? pad + line : "")).join("\n");
  return ` |${chomp}\n${body}`;
}

/** `{ A: 1, B: x }` or `[a, b]` for a collection of short scalars that fits on one line. */
function flowStyle(value) {
  if (value === null || typeof value !== "object") return null;
  const entries = Array.isArray(value) ? value.map((x) => [null, x]) : Object.entries(value);
  if (entries.length === 0 || isIntrinsicShort(value)) return null;
  const parts = [];
  for (const [key, child] of entries) {
    if (child !== null && typeof child === "object" && !isIntrinsicShort(child)) return null;
    if (typeof child === "string" && child.includes("\n")) return null;
    const text = inline(child, 0).slice(1);
    parts.push(key === null ? text : `${key}: ${text}`);
  }
  const text = Array.isArray(value) ? `[${parts.join(", ")}]` : `{${parts.join(", ")}}`;
  return text.length <= 72 ? text : null;
}

function yamlLines(value, indent, out, flow) {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      const short = inline(item, indent) ?? (flow && flowStyle(item) ? ` ${flowStyle(item)}` : null);
      if (short !== null) {
        out.push(`${pad}-${short}`);
        continue;
      }
      // Nested collection: its first line goes on the dash line.
      const inner = [];
      yamlLines(item, indent + 2, inner, flow);
      out.push(`${pad}- ${inner[0].slice(indent + 2)}`);
      for (let i = 1; i < inner.length; i++) out.push(inner[i]);
    }
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const short = inline(child, indent) ?? (flow && flowStyle(child) ? ` ${flowStyle(child)}` : null);
    if (short !== null) {
      out.push(`${pad}${key}:${short}`);
    } else {
      out.push(`${pad}${key}:`);
      yamlLines(child, Array.isArray(child) ? indent : indent + 2, out, flow);
    }
  }
}

/**
 * YAML text of a template, with `!Ref`, `!GetAtt` and `!Sub` in their short forms; with
 * `flow`, short collections of scalars are written on one line (`{Key: v}`, `[a, b]`).
 */
export function toYaml(template, { flow = false } = {}) {
  const out = [];
  yamlLines(template, 0, out, flow);
  return `${out.join("\n")}\n`;
}

export function toJson(template) {
  return `${JSON.stringify(template, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------
// Terraform

const hcl = (value) => (typeof value === "string" ? JSON.stringify(value) : String(value));

function tfGroup(v, p) {
  const out = [];
  const block = (type, name, body) => out.push(`resource "${type}" "${p}${name}" {\n${body}}\n`);
  const tagsBlock = (name) => `  tags = {\n    Name = ${hcl(name)}\n    Team = ${hcl(v.team)}\n  }\n`;
  block("aws_vpc", "vpc", `  cidr_block           = ${hcl(v.vpcCidr)}\n  enable_dns_support   = true\n  enable_dns_hostnames = true\n${tagsBlock(`${v.team}-vpc`)}`);
  for (const [suffix, cidr, az] of [["a", v.subnetA, v.azA], ["b", v.subnetB, v.azB]]) {
    block(
      "aws_subnet",
      `subnet_${suffix}`,
      `  vpc_id                  = aws_vpc.${p}vpc.id\n  cidr_block              = ${hcl(cidr)}\n  availability_zone       = ${hcl(az)}\n  map_public_ip_on_launch = ${suffix === "a" && v.publicSubnet}\n${tagsBlock(`${v.team}-subnet-${suffix}`)}`,
    );
  }
  const ingress = v.ingress
    .map((rule) => `  ingress {\n    description = ${hcl(rule.what)}\n    protocol    = "tcp"\n    from_port   = ${rule.from}\n    to_port     = ${rule.to}\n    cidr_blocks = [${hcl(rule.cidr)}]\n  }\n`)
    .join("");
  block(
    "aws_security_group",
    "sg",
    `  name        = ${hcl(`${v.team}-${v.role}-${v.index}`)}\n  description = ${hcl(`${v.role} servers of ${v.team}`)}\n  vpc_id      = aws_vpc.${p}vpc.id\n${ingress}  egress {\n    protocol    = "-1"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n`,
  );
  v.instances.forEach((inst, n) => {
    const id = n === 0 ? "a" : "b";
    const script = userDataScript(v, inst).replaceAll("${AWS::StackName}", v.team).replaceAll("${AWS::Region}", "us-east-1");
    block(
      "aws_instance",
      `server_${id}`,
      `  ami                    = ${hcl(v.ami)}\n  instance_type          = ${hcl(inst.type)}\n  subnet_id              = aws_subnet.${p}subnet_${id}.id\n  vpc_security_group_ids = [aws_security_group.${p}sg.id]\n  iam_instance_profile   = aws_iam_instance_profile.${p}profile.name\n\n  metadata_options {\n    http_endpoint = "enabled"\n    http_tokens   = ${hcl(inst.imdsv2 ? "required" : "optional")}\n  }\n\n  root_block_device {\n    volume_size = ${inst.rootSize}\n    volume_type = "gp3"\n    encrypted   = ${inst.rootEncrypted}\n  }\n\n  ebs_block_device {\n    device_name = "/dev/sdf"\n    volume_size = ${inst.dataSize}\n    volume_type = ${hcl(inst.dataType)}\n    encrypted   = ${inst.dataEncrypted}\n    kms_key_id  = aws_kms_key.${p}key.arn\n  }\n\n  user_data = <<-EOT\n${script.replace(/\n$/, "").split("\n").map((l) => `    ${l}`).join("\n")}\n  EOT\n\n${tagsBlock(inst.name)}`,
    );
  });
  block(
    "aws_ebs_volume",
    "data",
    `  availability_zone = aws_instance.${p}server_a.availability_zone\n  size              = ${v.volumeSize}\n  type              = "gp3"\n  encrypted         = ${v.volumeEncrypted}\n${v.volumeEncrypted ? `  kms_key_id        = aws_kms_key.${p}key.arn\n` : ""}`,
  );
  block("aws_kms_key", "key", `  description         = ${hcl(`Data key of ${v.team}`)}\n  enable_key_rotation = ${v.keyRotation}\n`);
  block(
    "aws_iam_role",
    "role",
    `  name = ${hcl(`${v.team}-${v.role}-${v.index}`)}\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { Service = "ec2.amazonaws.com" }\n      Action    = "sts:AssumeRole"\n    }]\n  })\n  managed_policy_arns = [${hcl(v.adminRole ? "arn:aws:iam::aws:policy/AdministratorAccess" : "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")}]\n`,
  );
  block("aws_iam_instance_profile", "profile", `  name = ${hcl(`${v.team}-${v.role}-${v.index}`)}\n  role = aws_iam_role.${p}role.name\n`);
  block(
    "aws_cloudtrail",
    "trail",
    `  name                          = ${hcl(`${v.team}-trail-${v.index}`)}\n  s3_bucket_name                = ${hcl(v.bucket)}\n  enable_logging                = true\n  is_multi_region_trail         = ${v.trailMultiRegion}\n  enable_log_file_validation    = ${v.trailValidation}\n${v.trailEncrypted ? `  kms_key_id                    = aws_kms_key.${p}key.arn\n` : ""}`,
  );
  return out.join("\n");
}

const TF_HEADER = `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n\nprovider "aws" {\n  region = "us-east-1"\n}\n\n`;

/** main.tf of the small Terraform root module number `index`. */
export function terraformModule(seed, index) {
  const v = groupValues(createRandom(seed, `tf:${index}`), index);
  return TF_HEADER + tfGroup(v, "");
}

/** A large .tf file: `groups` groups of the eleven resource kinds. */
export function terraformLarge(seed, index, groups = TF_LARGE_GROUPS) {
  const parts = [TF_HEADER];
  for (let g = 0; g < groups; g++) {
    const v = groupValues(createRandom(seed, `tf-large:${index}:${g}`), index * 1000 + g);
    parts.push(tfGroup(v, `g${g}_`));
  }
  return parts.join("\n");
}

// ---------------------------------------------------------------------------------------
// Writing the corpus

const pad = (n) => String(n).padStart(5, "0");
/** Changes when this generator changes, so a kept corpus folder is written again. */
const GENERATOR_HASH = hashString(readFileSync(fileURLToPath(import.meta.url), "utf8")).toString(16);

function writeSet(dir, count, name, content) {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const text = content(i);
    const path = join(dir, name(i));
    if (path.includes("/", dir.length + 1)) mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  return { path: dir, files: count, bytes };
}

/**
 * Writes the corpus under `root` and returns a manifest of its sets. A set that is already
 * there with the same seed and size (see `manifest.json`) is not written again.
 * `growth: true` also writes the 10,000-template set (1,000 with `quick`).
 */
export function generateCorpus(root, { seed = 1, quick = false, growth = false } = {}) {
  const size = quick ? SIZES.quick : SIZES.full;
  const manifestPath = join(root, "manifest.json");
  const previous = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : { sets: {} };
  const sets = {};
  const make = (id, key, write) => {
    const old = previous.sets?.[id];
    sets[id] = old && old.key === key ? old : { ...write(), key };
  };
  const base = `${seed}:${GENERATOR_HASH}`;
  make("small", `${base}:1`, () => {
    const path = join(root, "small", "stack.yaml");
    mkdirSync(join(root, "small"), { recursive: true });
    const text = toYaml(smallTemplate(seed, 0));
    writeFileSync(path, text);
    return { path, files: 1, bytes: Buffer.byteLength(text), resources: SMALL_RESOURCES };
  });
  make("yaml", `${base}:${size.yaml}`, () => writeSet(join(root, "yaml"), size.yaml, (i) => `stack-${pad(i)}.yaml`, (i) => toYaml(smallTemplate(seed, i))));
  make("json", `${base}:${size.json}`, () => writeSet(join(root, "json"), size.json, (i) => `stack-${pad(i)}.json`, (i) => toJson(smallTemplate(seed, i))));
  make("big", `${base}:${size.bigResources}`, () => {
    mkdirSync(join(root, "big"), { recursive: true });
    const path = join(root, "big", "everything.yaml");
    const text = toYaml(bigTemplate(seed, size.bigResources), { flow: true });
    writeFileSync(path, text);
    return { path, files: 1, bytes: Buffer.byteLength(text), resources: size.bigResources };
  });
  make("tfModules", `${base}:${size.tfModules}`, () =>
    writeSet(join(root, "tf-modules"), size.tfModules, (i) => `module-${pad(i)}/main.tf`, (i) => terraformModule(seed, i)),
  );
  make("tfLarge", `${base}:${size.tfLarge}`, () =>
    writeSet(join(root, "tf-large"), size.tfLarge, (i) => `root-${pad(i)}/main.tf`, (i) => terraformLarge(seed, i)),
  );
  if (growth) {
    make("growth", `${base}:${size.growth}`, () =>
      writeSet(join(root, "growth"), size.growth, (i) => `stack-${pad(i)}.yaml`, (i) => toYaml(smallTemplate(seed, i))),
    );
  } else if (previous.sets?.growth) {
    sets.growth = previous.sets.growth;
  }
  const manifest = { seed, quick, sets };
  mkdirSync(root, { recursive: true });
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

// ---------------------------------------------------------------------------------------

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const folder = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--seed");
  if (!folder) {
    console.error("usage: node bench/corpus.mjs <folder> [--seed N] [--quick] [--growth]");
    process.exit(2);
  }
  const seedAt = args.indexOf("--seed");
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
  const manifest = generateCorpus(resolve(folder), { seed, quick: args.includes("--quick"), growth: args.includes("--growth") });
  for (const [id, set] of Object.entries(manifest.sets)) {
    console.log(`${id.padEnd(10)} ${String(set.files).padStart(6)} files ${(set.bytes / 1e6).toFixed(2).padStart(8)} MB  ${set.path}`);
  }
}
