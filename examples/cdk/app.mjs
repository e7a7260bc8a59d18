// A small AWS CDK app (plain JavaScript, ES modules) for trying parapet on a cloud assembly.
//
//   node examples/cdk/synth.mjs          writes examples/cdk/cdk.out (what `cdk synth` writes)
//   npx parapet examples/cdk/cdk.out     lints it
//
// Three resources fail a rule on purpose (the report worker and its launch template have no instance
// profile; the support security group lets RDP in from anywhere) and one finding is suppressed; everything
// else passes every rule of the recommended preset.
import { pathToFileURL } from "node:url";
import { App, Size, Stack } from "aws-cdk-lib";
import * as cloudtrail from "aws-cdk-lib/aws-cloudtrail";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";

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

  // Passes: a public subnet that gives no instance a public address unless it asks for one, an isolated
  // subnet for the servers, and a flow log of the whole VPC to CloudWatch Logs (ec2.Vpc makes public
  // subnets that hand out addresses, and no flow log, unless told otherwise).
  const vpc = new ec2.Vpc(stack, "Vpc", {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [
      { name: "public", subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: "app", subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  vpc.addFlowLog("FlowLog");
  const machineImage = ec2.MachineImage.genericLinux({ "eu-west-1": "ami-0123456789abcdef0" });
  const instanceType = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO);

  // Suppressed (sg-no-ssh-from-internet): SSH from anywhere, with a reason recorded next to the group.
  const bastionSg = new ec2.SecurityGroup(stack, "BastionSecurityGroup", { vpc, description: "Bastion host" });
  bastionSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), "SSH from anywhere");
  bastionSg.node.defaultChild.addMetadata("parapet", {
    suppress: [{ rule: "sg-no-ssh-from-internet", reason: "short-lived bastion for the migration; access is logged" }],
  });

  // Passes: an L2 instance gets a role and an instance profile; requireImdsv2 adds a launch template. Its
  // public address is an Elastic IP, since the subnet hands out none. Its root volume is encrypted.
  const bastion = new ec2.Instance(stack, "Bastion", {
    vpc,
    blockDevices: [{ deviceName: "/dev/xvda", volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    instanceType,
    machineImage,
    securityGroup: bastionSg,
    requireImdsv2: true,
    detailedMonitoring: true,
    role: new iam.Role(stack, "BastionRole", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")],
    }),
  });
  new ec2.CfnEIP(stack, "BastionAddress", { instanceId: bastion.instanceId });

  // Fails ec2-instance-profile, twice: the launch template requires IMDSv2 but names no instance profile, and
  // the L1 instance launched from it writes only what it is given, so it has none either.
  const reportTemplate = new ec2.LaunchTemplate(stack, "ReportWorkerTemplate", {
    machineImage,
    blockDevices: [{ deviceName: "/dev/xvda", volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
    instanceType,
    requireImdsv2: true,
    detailedMonitoring: true,
  });
  new ec2.CfnInstance(stack, "ReportWorker", {
    launchTemplate: {
      launchTemplateId: reportTemplate.launchTemplateId,
      version: reportTemplate.latestVersionNumber,
    },
    subnetId: vpc.isolatedSubnets[0].subnetId,
  });

  // Fails sg-no-rdp-from-internet: Remote Desktop open to every IPv4 address.
  const supportSg = new ec2.SecurityGroup(stack, "SupportSecurityGroup", { vpc, description: "Windows support host" });
  supportSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(3389), "RDP from anywhere");

  // Passes: an encrypted volume.
  new ec2.Volume(stack, "ReportData", { availabilityZone: "eu-west-1a", size: Size.gibibytes(10), encrypted: true });

  // Passes: trails are multi-region unless told otherwise; this one encrypts its logs with a key that
  // rotates and delivers its events to CloudWatch Logs (the Trail construct creates the log group and role).
  const trailKey = new kms.Key(stack, "AuditTrailKey", { enableKeyRotation: true, description: "CloudTrail log files" });
  new cloudtrail.Trail(stack, "AuditTrail", { encryptionKey: trailKey, sendToCloudWatchLogs: true });

  return app.synth();
}

// Run directly, as `cdk synth --app "node app.mjs"` does, the app writes where the CDK CLI tells it (CDK_OUTDIR).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  build();
}
