/**
 * What the AWS provider documents about attributes that are known only after apply (a
 * security group's `id`, any resource's `arn`) or when Terraform reads a data source (the
 * region, the account id, the zones). Written from the provider's attribute references; each
 * pattern admits every value the provider documents. Attributes that copy an argument
 * (`aws_vpc.cidr_block`) are not here: when the block writes the argument, its value is used.
 */
import { ACCOUNT, ARN, ec2Id, idShape as id, IPV4, KMS_KEY_ID, PARTITION, REGION, ZONE } from "../../values/aws-shapes.js";
import { lookupTable, Unknown, type ResourceRef, type Shape } from "../../values/value.js";

const list = (item: Shape, what: string): Shape => ({ ...item, type: "list", what });

const SG = id(ec2Id("sg"), "a security group id");
const VPC = id(ec2Id("vpc"), "a VPC id");
const SUBNET = id(ec2Id("subnet"), "a subnet id");
const INSTANCE = id(ec2Id("i"), "an instance id");
const ROUTE_TABLE = id(ec2Id("rtb"), "a route table id");
const NETWORK_ACL = id(ec2Id("acl"), "a network ACL id");
const KMS_KEY = id(KMS_KEY_ID, "a key id");
const ADDRESS = id(IPV4, "an IPv4 address");
const AN_ARN = id(ARN, "an ARN");

/** `TYPE.ATTRIBUTE` of resources. */
const RESOURCE_ATTRIBUTES: Record<string, Shape> = lookupTable({
  "aws_security_group.id": SG,
  "aws_vpc.id": VPC,
  "aws_vpc.default_security_group_id": SG,
  "aws_vpc.default_network_acl_id": NETWORK_ACL,
  "aws_vpc.default_route_table_id": ROUTE_TABLE,
  "aws_vpc.main_route_table_id": ROUTE_TABLE,
  "aws_subnet.id": SUBNET,
  "aws_instance.id": INSTANCE,
  "aws_instance.private_ip": ADDRESS,
  "aws_instance.public_ip": ADDRESS,
  "aws_instance.primary_network_interface_id": id(ec2Id("eni"), "a network interface id"),
  "aws_ebs_volume.id": id(ec2Id("vol"), "a volume id"),
  "aws_internet_gateway.id": id(ec2Id("igw"), "an internet gateway id"),
  "aws_nat_gateway.id": id(ec2Id("nat"), "a NAT gateway id"),
  "aws_route_table.id": ROUTE_TABLE,
  "aws_network_acl.id": NETWORK_ACL,
  "aws_network_interface.id": id(ec2Id("eni"), "a network interface id"),
  "aws_launch_template.id": id(ec2Id("lt"), "a launch template id"),
  "aws_vpc_endpoint.id": id(ec2Id("vpce"), "a VPC endpoint id"),
  "aws_ec2_transit_gateway.id": id(ec2Id("tgw"), "a transit gateway id"),
  "aws_eip.id": id(ec2Id("eipalloc"), "an allocation id"),
  "aws_eip.allocation_id": id(ec2Id("eipalloc"), "an allocation id"),
  "aws_eip.public_ip": ADDRESS,
  "aws_kms_key.id": KMS_KEY,
  "aws_kms_key.key_id": KMS_KEY,
});

/** `TYPE.ATTRIBUTE` of data sources. */
const DATA_ATTRIBUTES: Record<string, Shape> = lookupTable({
  "aws_region.name": id(REGION, "a region name"),
  "aws_region.id": id(REGION, "a region name"),
  "aws_region.region": id(REGION, "a region name"),
  "aws_caller_identity.account_id": id(ACCOUNT, "an account id"),
  "aws_caller_identity.id": id(ACCOUNT, "an account id"),
  "aws_partition.partition": id(PARTITION, "a partition"),
  "aws_partition.id": id(PARTITION, "a partition"),
  "aws_partition.dns_suffix": id("[a-z0-9.-]+", "a domain"),
  "aws_availability_zones.names": list(id(ZONE, "an availability zone"), "a list of availability zones"),
  "aws_availability_zones.zone_ids": list(id("[a-z]{2,5}\\d+-az\\d+", "a zone id"), "a list of zone ids"),
  "aws_ami.id": id(ec2Id("ami"), "an image id"),
  "aws_ami.image_id": id(ec2Id("ami"), "an image id"),
  "aws_vpc.id": VPC,
  "aws_subnet.id": SUBNET,
  "aws_subnets.ids": list(SUBNET, "a list of subnet ids"),
  "aws_security_group.id": SG,
  "aws_instance.id": INSTANCE,
  "aws_kms_key.id": KMS_KEY,
  "aws_kms_key.key_id": KMS_KEY,
});

/**
 * What an attribute path (`["id"]`, `["names", 0]`) of a resource or data source of this
 * type holds: the table's entry, an ARN for `arn` of any AWS type, one item's shape for an
 * index into a list.
 */
export function attributeShape(kind: "resource" | "data", type: string, path: readonly (string | number)[]): Shape | undefined {
  const [attribute, index, ...rest] = path;
  if (attribute === undefined || rest.length > 0) return undefined;
  const table = kind === "resource" ? RESOURCE_ATTRIBUTES : DATA_ATTRIBUTES;
  const shape = table[`${type}.${String(attribute)}`] ?? (attribute === "arn" && type.startsWith("aws_") ? AN_ARN : undefined);
  if (!shape || index === undefined) return shape;
  return shape.type === "list" && /^\d+$/.test(String(index)) ? { ...shape, type: "string", what: `an item of ${shape.what ?? "a list"}` } : undefined;
}

/** `data.TYPE.NAME[KEY].ATTR...` read when Terraform plans: unknown, with the attribute's shape. */
export function plannedData(rest: readonly string[]): Unknown {
  const [type = "", , ...path] = rest;
  const attributes = /^\d+$/.test(path[0] ?? "") ? path.slice(1) : path;
  const shape = attributeShape("data", type, attributes);
  return new Unknown(`data.${rest.slice(0, 2).join(".")} is read when Terraform plans`, shape ? { shape } : {});
}

/**
 * A resource attribute known only after apply: unknown, with its reference and shape.
 * `parts` is the reference after the type (`["web", 0, "id"]`), its attribute at `at`; the
 * legacy splat (`web.*.id`) is a list, and has no shape.
 */
export function afterApply(reason: string, ref: ResourceRef, type: string, parts: readonly (string | number)[], at: number): Unknown {
  const shape = parts.slice(0, at).includes("*") ? undefined : attributeShape("resource", type, parts.slice(at));
  return new Unknown(reason, { ref, ...(shape ? { shape } : {}) });
}
