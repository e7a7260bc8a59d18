# Model: the VPC, its public subnets and its optional flow log that versions 2 to 4 of the
# vpc registry module create from their inputs.

variable "create_vpc" { default = true }
variable "name" { default = "" }
variable "cidr" { default = "0.0.0.0/0" }
variable "public_subnets" { default = [] }
variable "map_public_ip_on_launch" { default = true }
variable "enable_flow_log" { default = false }
variable "flow_log_traffic_type" { default = "ALL" }
variable "flow_log_destination_type" { default = "cloud-watch-logs" }
variable "flow_log_destination_arn" { default = "" }

resource "aws_vpc" "this" {
  count      = var.create_vpc ? 1 : 0
  cidr_block = var.cidr
}

resource "aws_subnet" "public" {
  count                   = var.create_vpc ? length(var.public_subnets) : 0
  vpc_id                  = aws_vpc.this[0].id
  cidr_block              = var.public_subnets[count.index]
  map_public_ip_on_launch = var.map_public_ip_on_launch
}

resource "aws_flow_log" "this" {
  count                = var.create_vpc && var.enable_flow_log ? 1 : 0
  vpc_id               = aws_vpc.this[0].id
  traffic_type         = var.flow_log_traffic_type
  log_destination_type = var.flow_log_destination_type
  log_destination      = var.flow_log_destination_arn
}
