// A small AWS CDK app (plain JavaScript, ES modules) for trying parapet on a cloud assembly.
//
//   node examples/cdk/synth.mjs          writes examples/cdk/cdk.out (what `cdk synth` writes)
//   npx parapet examples/cdk/cdk.out     lints it
//
// One resource fails a rule on purpose and one finding is suppressed; everything else passes.
import { pathToFileURL } from "node:url";
import { App, Size, Stack } from "aws-cdk-lib";
import * as cloudtrail from "aws-cdk-lib/aws-cloudtrail";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";

/** Settings that keep synthesis offline and repeatable. */
const CONTEXT = {
  // What `cdk synth` turns on by default: construct paths in each resource's Metadata.
  "aws:cdk:enable-path-metadata": true,
  "aws:cdk:enable-asset-metadata": true,
  // No AWS::CDK::Metadata resource (library version and construct list).
  "aws:cdk:version-reporting": false,
};

/** Builds the app and synthesizes it into `outdir` (or where the CDK CLI asks); returns the cloud assembly. */
export function build(outdir) {
  const app = new App({ outdir, context: CONTEXT, performanceReporting: false, builtinCloudFormationValidation: false });
  const stack = new Stack(app, "Example");

  const vpc = new ec2.Vpc(stack, "Vpc", {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC }],
  });
  const machineImage = ec2.MachineImage.genericLinux({ "eu-west-1": "ami-0123456789abcdef0" });
  const instanceType = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO);

  // Suppressed (sg-no-ssh-from-internet): SSH from anywhere, with a reason recorded next to the group.
  const bastionSg = new ec2.SecurityGroup(stack, "BastionSecurityGroup", { vpc, description: "Bastion host" });
  bastionSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), "SSH from anywhere");
  bastionSg.node.defaultChild.addMetadata("parapet", {
    suppress: [{ rule: "sg-no-ssh-from-internet", reason: "short-lived bastion for the migration; access is logged" }],
  });

  // Passes: an L2 instance gets a role and an instance profile; requireImdsv2 adds a launch template.
  new ec2.Instance(stack, "Bastion", {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    instanceType,
    machineImage,
    securityGroup: bastionSg,
    requireImdsv2: true,
    role: new iam.Role(stack, "BastionRole", { assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com") }),
  });

  // Fails ec2-instance-profile: the L1 construct writes only what it is given, and no IamInstanceProfile.
  new ec2.CfnInstance(stack, "ReportWorker", {
    imageId: "ami-0123456789abcdef0",
    instanceType: "t3.micro",
    subnetId: vpc.publicSubnets[0].subnetId,
  });

  // Passes: an encrypted volume.
  new ec2.Volume(stack, "ReportData", { availabilityZone: "eu-west-1a", size: Size.gibibytes(10), encrypted: true });

  // Passes: trails are multi-region unless told otherwise.
  new cloudtrail.Trail(stack, "AuditTrail");

  return app.synth();
}

// Run directly, as `cdk synth --app "node app.mjs"` does, the app writes where the CDK CLI tells it (CDK_OUTDIR).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  build();
}
