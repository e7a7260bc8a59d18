/**
 * What CloudFormation guarantees about values that are known only at deployment: the
 * documented form of the pseudo parameters, what a parameter's `Type`, `AllowedPattern` and
 * bounds allow, and the form of the ids and ARNs that `Ref` and `Fn::GetAtt` return.
 * Patterns are written from the CloudFormation and EC2 references; each one admits every
 * value AWS documents (they may admit more, never less).
 */
import { ACCOUNT, ARN, ec2Id, idShape as id, IPV4, KMS_KEY_ID, NUMBER, PARTITION, REGION, ZONE } from "../../values/aws-shapes.js";
import { lookupTable, type Shape } from "../../values/value.js";

const STACK_NAME = "[a-zA-Z][-a-zA-Z0-9]{0,127}";

export const PSEUDO_SHAPES: Record<string, Shape> = lookupTable({
  "AWS::Region": id(REGION, "a region name"),
  "AWS::AccountId": id(ACCOUNT, "an account id"),
  "AWS::StackName": id(STACK_NAME, "a stack name"),
  "AWS::StackId": id(`arn:aws[a-z-]*:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK_NAME}/[0-9a-f-]{36}`, "a stack id"),
  "AWS::NotificationARNs": { ...id(`arn:aws[a-z-]*:sns:${REGION}:${ACCOUNT}:[\\w-]{1,256}`, "a list of topic ARNs"), type: "list" },
  "AWS::Partition": id(PARTITION, "a partition"),
  "AWS::URLSuffix": id("amazonaws\\.com(?:\\.cn)?|c2s\\.ic\\.gov|sc2s\\.sgov\\.gov|[a-z0-9.-]+", "a domain"),
});

/** `AWS::EC2::...` parameter types (and their `List<...>`): what each value looks like. */
const PARAMETER_TYPES: Record<string, Shape> = lookupTable({
  Number: { type: "number", pattern: NUMBER, what: "a number" },
  String: { type: "string" },
  "AWS::EC2::VPC::Id": id(ec2Id("vpc"), "a VPC id"),
  "AWS::EC2::Subnet::Id": id(ec2Id("subnet"), "a subnet id"),
  "AWS::EC2::SecurityGroup::Id": id(ec2Id("sg"), "a security group id"),
  "AWS::EC2::SecurityGroup::GroupName": { type: "string", maxLength: 255, secretFree: true, what: "a security group name" },
  "AWS::EC2::Image::Id": id(ec2Id("ami"), "an image id"),
  "AWS::EC2::Instance::Id": id(ec2Id("i"), "an instance id"),
  "AWS::EC2::Volume::Id": id(ec2Id("vol"), "a volume id"),
  "AWS::EC2::KeyPair::KeyName": { type: "string", maxLength: 255, secretFree: true, what: "a key pair name" },
  "AWS::EC2::AvailabilityZone::Name": id(ZONE, "an availability zone"),
  "AWS::Route53::HostedZone::Id": id("[A-Z0-9]{1,32}", "a hosted zone id"),
});

/** A parameter's `Type` without `AWS::SSM::Parameter::Value<...>` and `List<...>`. */
function itemType(type: string): { item: string; list: boolean } {
  const ssm = /^AWS::SSM::Parameter::Value<(.*)>$/.exec(type);
  const inner = ssm ? ssm[1]! : type;
  if (inner === "CommaDelimitedList") return { item: "String", list: true };
  const list = /^List<(.*)>$/.exec(inner);
  return list ? { item: list[1]!, list: true } : { item: inner, list: false };
}

const numberField = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * What a parameter's declaration says about its value: its type, and `AllowedPattern`,
 * `MinLength`/`MaxLength`, `MinValue`/`MaxValue`. An `AllowedPattern` that JavaScript cannot
 * read is left out (the value then says less).
 */
export function parameterShape(spec: Record<string, unknown>): Shape | undefined {
  const type = typeof spec["Type"] === "string" ? spec["Type"] : "String";
  const { item, list } = itemType(type);
  const base: Shape = PARAMETER_TYPES[item] ?? {};
  const shape: Shape = { ...base, ...(list ? { type: "list" } : {}) };
  const pattern = spec["AllowedPattern"];
  if (typeof pattern === "string" && usablePattern(pattern)) {
    shape.pattern = base.pattern ? `(?=(?:${base.pattern})$)(?:${pattern})` : pattern;
  }
  const bounds: [keyof Shape, unknown][] = [
    ["minLength", spec["MinLength"]],
    ["maxLength", spec["MaxLength"]],
    ["min", spec["MinValue"]],
    ["max", spec["MaxValue"]],
  ];
  for (const [key, raw] of bounds) {
    const n = numberField(raw);
    if (n !== undefined) (shape as Record<string, unknown>)[key] = n;
  }
  return Object.keys(shape).length > 0 ? shape : undefined;
}

function usablePattern(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

/** `Ref` of these types returns an id of this form. */
const REF_SHAPES: Record<string, Shape> = lookupTable({
  "AWS::EC2::VPC": id(ec2Id("vpc"), "a VPC id"),
  "AWS::EC2::Subnet": id(ec2Id("subnet"), "a subnet id"),
  "AWS::EC2::Instance": id(ec2Id("i"), "an instance id"),
  "AWS::EC2::Volume": id(ec2Id("vol"), "a volume id"),
  "AWS::EC2::InternetGateway": id(ec2Id("igw"), "an internet gateway id"),
  "AWS::EC2::NatGateway": id(ec2Id("nat"), "a NAT gateway id"),
  "AWS::EC2::RouteTable": id(ec2Id("rtb"), "a route table id"),
  "AWS::EC2::NetworkAcl": id(ec2Id("acl"), "a network ACL id"),
  "AWS::EC2::NetworkInterface": id(ec2Id("eni"), "a network interface id"),
  "AWS::EC2::LaunchTemplate": id(ec2Id("lt"), "a launch template id"),
  "AWS::EC2::VPCEndpoint": id(ec2Id("vpce"), "a VPC endpoint id"),
  "AWS::EC2::TransitGateway": id(ec2Id("tgw"), "a transit gateway id"),
  "AWS::EC2::EIP": id(IPV4, "an Elastic IP address"),
  // With a VpcId the id of the group, without one its name.
  "AWS::EC2::SecurityGroup": { type: "string", secretFree: true, what: "a security group id or name" },
  "AWS::KMS::Key": id(KMS_KEY_ID, "a key id"),
  // A presigned URL that CloudFormation issues so that the instance can signal the wait
  // condition: it names CloudFormation's signing key id, never the account's credentials.
  "AWS::CloudFormation::WaitConditionHandle": id("https://\\S+", "a wait condition's presigned URL"),
});

/** `Fn::GetAtt` attributes of this form, by `Type.Attribute`. */
const ATTRIBUTE_SHAPES: Record<string, Shape> = lookupTable({
  "AWS::EC2::SecurityGroup.GroupId": id(ec2Id("sg"), "a security group id"),
  "AWS::EC2::SecurityGroup.VpcId": id(ec2Id("vpc"), "a VPC id"),
  "AWS::EC2::VPC.VpcId": id(ec2Id("vpc"), "a VPC id"),
  "AWS::EC2::VPC.DefaultSecurityGroup": id(ec2Id("sg"), "a security group id"),
  "AWS::EC2::VPC.DefaultNetworkAcl": id(ec2Id("acl"), "a network ACL id"),
  "AWS::EC2::Subnet.SubnetId": id(ec2Id("subnet"), "a subnet id"),
  "AWS::EC2::Subnet.VpcId": id(ec2Id("vpc"), "a VPC id"),
  "AWS::EC2::Subnet.AvailabilityZone": id(ZONE, "an availability zone"),
  "AWS::EC2::Instance.AvailabilityZone": id(ZONE, "an availability zone"),
  "AWS::EC2::Instance.PrivateIp": id(IPV4, "an IPv4 address"),
  "AWS::EC2::Instance.PublicIp": id(IPV4, "an IPv4 address"),
  "AWS::EC2::Instance.PrivateDnsName": id("[a-z0-9.-]+", "a DNS name"),
  "AWS::EC2::Instance.PublicDnsName": id("[a-z0-9.-]*", "a DNS name"),
  "AWS::EC2::EIP.AllocationId": id(ec2Id("eipalloc"), "an allocation id"),
  "AWS::EC2::EIP.PublicIp": id(IPV4, "an IPv4 address"),
  "AWS::EC2::LaunchTemplate.LaunchTemplateId": id(ec2Id("lt"), "a launch template id"),
  "AWS::EC2::LaunchTemplate.LatestVersionNumber": id("\\d+", "a version number"),
  "AWS::EC2::LaunchTemplate.DefaultVersionNumber": id("\\d+", "a version number"),
  "AWS::KMS::Key.KeyId": REF_SHAPES["AWS::KMS::Key"]!,
});

/**
 * Resource types whose `Ref` or attributes can hold a credential or text someone else chose:
 * an IAM access key (its id and secret), the outputs of nested stacks and custom resources,
 * client secrets, API keys.
 */
const NOT_SECRET_FREE = new Set([
  "AWS::IAM::AccessKey",
  "AWS::IAM::ServiceSpecificCredential",
  "AWS::CloudFormation::Stack",
  "AWS::CloudFormation::CustomResource",
  "AWS::Cognito::UserPoolClient",
  "AWS::AppSync::ApiKey",
  "AWS::SecretsManager::Secret",
]);

/**
 * What `Ref` (no attribute) or `Fn::GetAtt` of a resource of this type returns. The ids,
 * names and ARNs of `AWS::` resources are never a secret, except those of the types above;
 * custom resources (`Custom::`) return whatever their code returns.
 */
export function referenceShape(type: string, attribute?: string): Shape | undefined {
  const known = attribute === undefined ? REF_SHAPES[type] : ATTRIBUTE_SHAPES[`${type}.${attribute}`];
  if (known) return known;
  if (attribute === "Arn" && type.startsWith("AWS::") && !NOT_SECRET_FREE.has(type)) return id(ARN, "an ARN");
  if (!type.startsWith("AWS::") || NOT_SECRET_FREE.has(type)) return undefined;
  return { secretFree: true, what: attribute === undefined ? "a resource id" : `the ${attribute} of a resource` };
}
