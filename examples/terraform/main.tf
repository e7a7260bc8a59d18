# The example web application in Terraform: web servers from the local module
# modules/web, a report worker with its data volume, and the audit trails with their
# KMS key and CloudWatch Logs delivery. Five resources break a rule on purpose; the
# comment above each one says which. Everything else passes.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  tags = {
    Application = var.name
    Environment = var.environment
  }
}

# Passes, except for the SSH port that terraform.tfvars adds to web_ingress_ports:
# sg-no-ssh-from-internet fails on module.web.aws_security_group.this.
module "web" {
  source = "./modules/web"

  name          = "${var.name}-web"
  vpc_id        = var.vpc_id
  subnet_id     = var.subnet_ids[0]
  ami_id        = var.ami_id
  instance_type = var.instance_type
  ingress_ports = var.web_ingress_ports
  tags          = local.tags
}

# Fails ec2-instance-profile: requires IMDSv2 and encrypts its root volume, but has no profile.
resource "aws_instance" "report_worker" {
  ami                    = var.ami_id
  instance_type          = var.instance_type
  subnet_id              = var.subnet_ids[1]
  vpc_security_group_ids = [module.web.security_group_id]
  monitoring             = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
    encrypted   = true
  }

  tags = merge(local.tags, { Name = "${var.name}-report-worker" })
}

# Fails kms-rotation: enable_key_rotation is left out, and KMS does not rotate a key
# unless it is asked to.
resource "aws_kms_key" "web_data" {
  description = "Encrypts the web servers' data volume"
  tags        = local.tags
}

# Passes: encrypted with a customer managed key.
resource "aws_ebs_volume" "web_data" {
  availability_zone = module.web.availability_zone
  size              = 50
  type              = "gp3"
  encrypted         = true
  kms_key_id        = aws_kms_key.web_data.arn

  tags = merge(local.tags, { Name = "${var.name}-web-data" })
}

# Fails ebs-encrypted: the report data volume does not set encrypted.
resource "aws_ebs_volume" "report_data" {
  availability_zone = aws_instance.report_worker.availability_zone
  size              = 100
  type              = "gp3"

  tags = merge(local.tags, { Name = "${var.name}-report-data" })
}

resource "aws_volume_attachment" "report_data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.report_data.id
  instance_id = aws_instance.report_worker.id
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_s3_bucket" "audit_logs" {
  bucket_prefix = "${var.name}-audit-logs-"
  tags          = local.tags
}

# The trails encrypt their log files with this key, which rotates every year.
resource "aws_kms_key" "audit_logs" {
  description         = "Encrypts the CloudTrail log files"
  enable_key_rotation = true

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudTrailEncrypt"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = ["kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })

  tags = local.tags
}

# The trails also deliver their events to CloudWatch Logs, through this role.
resource "aws_cloudwatch_log_group" "audit" {
  name_prefix       = "${var.name}-audit-"
  retention_in_days = 365
  tags              = local.tags
}

resource "aws_iam_role" "audit_delivery" {
  name_prefix = "${var.name}-audit-delivery-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "audit_delivery" {
  role = aws_iam_role.audit_delivery.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.audit.arn}:*"
    }]
  })
}

# Passes: logs every region, with log file validation, KMS encryption and delivery to
# CloudWatch Logs.
resource "aws_cloudtrail" "management_events" {
  name                          = "${var.name}-management-events"
  s3_bucket_name                = aws_s3_bucket.audit_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.audit_logs.arn
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.audit.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.audit_delivery.arn
  tags                          = local.tags
}

# Fails cloudtrail-multi-region: is_multi_region_trail is left out, and the provider's
# default is a trail of one region.
resource "aws_cloudtrail" "data_events" {
  name                       = "${var.name}-data-events"
  s3_bucket_name             = aws_s3_bucket.audit_logs.id
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.audit_logs.arn
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.audit.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.audit_delivery.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = false

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }

  tags = local.tags
}
