# Model: the launch configuration that versions 1 to 3 of the autoscaling registry module
# create from their inputs.

variable "create_lc" { default = true }
variable "launch_configuration" { default = "" }
variable "lc_name" { default = "" }
variable "image_id" { default = "" }
variable "instance_type" { default = "" }
variable "iam_instance_profile" { default = "" }
variable "security_groups" { default = [] }
variable "associate_public_ip_address" { default = false }
variable "user_data" { default = null }
variable "enable_monitoring" { default = true }
variable "root_block_device" { default = [] }
variable "ebs_block_device" { default = [] }

resource "aws_launch_configuration" "this" {
  count = var.create_lc && var.launch_configuration == "" ? 1 : 0

  name_prefix                 = var.lc_name
  image_id                    = var.image_id
  instance_type               = var.instance_type
  iam_instance_profile        = var.iam_instance_profile
  security_groups             = var.security_groups
  associate_public_ip_address = var.associate_public_ip_address
  user_data                   = var.user_data
  enable_monitoring           = var.enable_monitoring

  dynamic "ebs_block_device" {
    for_each = var.ebs_block_device
    content {
      device_name = lookup(ebs_block_device.value, "device_name", null)
      encrypted   = lookup(ebs_block_device.value, "encrypted", null)
      snapshot_id = lookup(ebs_block_device.value, "snapshot_id", null)
      volume_type = lookup(ebs_block_device.value, "volume_type", null)
    }
  }

  dynamic "root_block_device" {
    for_each = var.root_block_device
    content {
      encrypted   = lookup(root_block_device.value, "encrypted", null)
      volume_type = lookup(root_block_device.value, "volume_type", null)
    }
  }
}
