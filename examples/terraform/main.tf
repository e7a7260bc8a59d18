# The example web application in Terraform: web servers from the local module
# modules/web, a report worker with its data volume, and the audit trails.
# Four resources break a rule on purpose; each one says which.

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
  subnet_id     = var.public_subnet_ids[0]
  ami_id        = var.ami_id
  instance_type = var.instance_type
  ingress_ports = var.web_ingress_ports
  tags          = local.tags
}

# Fails ec2-instance-profile: no instance profile and no launch template.
resource "aws_instance" "report_worker" {
  ami                    = var.ami_id
  instance_type          = var.instance_type
  subnet_id              = var.public_subnet_ids[1]
  vpc_security_group_ids = [module.web.security_group_id]

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

# Passes: encrypted with the default EBS key.
resource "aws_ebs_volume" "web_data" {
  availability_zone = module.web.availability_zone
  size              = 50
  type              = "gp3"
  encrypted         = true

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

resource "aws_s3_bucket" "audit_logs" {
  bucket_prefix = "${var.name}-audit-logs-"
  tags          = local.tags
}

# Passes: logs every region, with log file validation.
resource "aws_cloudtrail" "management_events" {
  name                          = "${var.name}-management-events"
  s3_bucket_name                = aws_s3_bucket.audit_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  tags                          = local.tags
}

# Fails cloudtrail-multi-region: is_multi_region_trail is left out, and the provider's
# default is a trail of one region.
resource "aws_cloudtrail" "data_events" {
  name                       = "${var.name}-data-events"
  s3_bucket_name             = aws_s3_bucket.audit_logs.id
  enable_log_file_validation = true

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
