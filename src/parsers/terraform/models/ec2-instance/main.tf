# Model: the instance that versions 2 to 4 of the ec2-instance registry module create from
# their inputs (metadata options fall back to the module's own defaults).

variable "create" { default = true }
variable "instance_count" { default = 1 }
variable "name" { default = "" }
variable "ami" { default = "" }
variable "instance_type" { default = "t3.micro" }
variable "iam_instance_profile" { default = null }
variable "monitoring" { default = false }
variable "user_data" { default = null }
variable "user_data_base64" { default = null }
variable "associate_public_ip_address" { default = null }
variable "subnet_id" { default = null }
variable "vpc_security_group_ids" { default = null }
variable "metadata_options" { default = {} }
variable "root_block_device" { default = [] }
variable "ebs_block_device" { default = [] }

resource "aws_instance" "this" {
  count = var.create ? var.instance_count : 0

  ami                         = var.ami
  instance_type               = var.instance_type
  iam_instance_profile        = var.iam_instance_profile
  monitoring                  = var.monitoring
  user_data                   = var.user_data
  user_data_base64            = var.user_data_base64
  associate_public_ip_address = var.associate_public_ip_address
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = var.vpc_security_group_ids

  metadata_options {
    http_endpoint = lookup(var.metadata_options, "http_endpoint", "enabled")
    http_tokens   = lookup(var.metadata_options, "http_tokens", "optional")
  }

  dynamic "root_block_device" {
    for_each = var.root_block_device
    content {
      encrypted   = lookup(root_block_device.value, "encrypted", null)
      kms_key_id  = lookup(root_block_device.value, "kms_key_id", null)
      volume_type = lookup(root_block_device.value, "volume_type", null)
    }
  }

  dynamic "ebs_block_device" {
    for_each = var.ebs_block_device
    content {
      device_name = ebs_block_device.value.device_name
      encrypted   = lookup(ebs_block_device.value, "encrypted", null)
      kms_key_id  = lookup(ebs_block_device.value, "kms_key_id", null)
      snapshot_id = lookup(ebs_block_device.value, "snapshot_id", null)
    }
  }
}
