# Model: the security group and the CIDR-based rules that versions 3 to 5 of the
# security-group registry module create from their inputs. Named rules map to
# [from_port, to_port, protocol]; a name missing here leaves the rule unknown.

variable "create" { default = true }
variable "name" { default = null }
variable "description" { default = "Security Group managed by Terraform" }
variable "vpc_id" { default = null }
variable "ingress_rules" { default = [] }
variable "ingress_cidr_blocks" { default = [] }
variable "ingress_ipv6_cidr_blocks" { default = [] }
variable "ingress_with_cidr_blocks" { default = [] }
variable "ingress_with_ipv6_cidr_blocks" { default = [] }
variable "egress_rules" { default = [] }
variable "egress_cidr_blocks" { default = ["0.0.0.0/0"] }
variable "egress_ipv6_cidr_blocks" { default = ["::/0"] }
variable "egress_with_cidr_blocks" { default = [] }

locals {
  rules = {
    "all-all"         = [-1, -1, "-1"]
    "all-tcp"         = [0, 65535, "tcp"]
    "all-udp"         = [0, 65535, "udp"]
    "all-icmp"        = [-1, -1, "icmp"]
    "ssh-tcp"         = [22, 22, "tcp"]
    "rdp-tcp"         = [3389, 3389, "tcp"]
    "rdp-udp"         = [3389, 3389, "udp"]
    "http-80-tcp"     = [80, 80, "tcp"]
    "https-443-tcp"   = [443, 443, "tcp"]
    "http-8080-tcp"   = [8080, 8080, "tcp"]
    "mysql-tcp"       = [3306, 3306, "tcp"]
    "postgresql-tcp"  = [5432, 5432, "tcp"]
    "mssql-tcp"       = [1433, 1433, "tcp"]
    "redis-tcp"       = [6379, 6379, "tcp"]
    "winrm-http-tcp"  = [5985, 5985, "tcp"]
    "winrm-https-tcp" = [5986, 5986, "tcp"]
    "dns-udp"         = [53, 53, "udp"]
    "dns-tcp"         = [53, 53, "tcp"]
    "ntp-udp"         = [123, 123, "udp"]
  }
}

resource "aws_security_group" "this" {
  count       = var.create ? 1 : 0
  name        = var.name
  description = var.description
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "ingress_rules" {
  count             = var.create ? length(var.ingress_rules) : 0
  type              = "ingress"
  cidr_blocks       = var.ingress_cidr_blocks
  ipv6_cidr_blocks  = var.ingress_ipv6_cidr_blocks
  from_port         = local.rules[var.ingress_rules[count.index]][0]
  to_port           = local.rules[var.ingress_rules[count.index]][1]
  protocol          = local.rules[var.ingress_rules[count.index]][2]
}

resource "aws_security_group_rule" "ingress_with_cidr_blocks" {
  count       = var.create ? length(var.ingress_with_cidr_blocks) : 0
  type        = "ingress"
  cidr_blocks = split(",", lookup(var.ingress_with_cidr_blocks[count.index], "cidr_blocks", join(",", var.ingress_cidr_blocks)))
  from_port   = lookup(var.ingress_with_cidr_blocks[count.index], "from_port", try(local.rules[var.ingress_with_cidr_blocks[count.index]["rule"]][0], null))
  to_port     = lookup(var.ingress_with_cidr_blocks[count.index], "to_port", try(local.rules[var.ingress_with_cidr_blocks[count.index]["rule"]][1], null))
  protocol    = lookup(var.ingress_with_cidr_blocks[count.index], "protocol", try(local.rules[var.ingress_with_cidr_blocks[count.index]["rule"]][2], null))
}

resource "aws_security_group_rule" "ingress_with_ipv6_cidr_blocks" {
  count            = var.create ? length(var.ingress_with_ipv6_cidr_blocks) : 0
  type             = "ingress"
  ipv6_cidr_blocks = split(",", lookup(var.ingress_with_ipv6_cidr_blocks[count.index], "ipv6_cidr_blocks", join(",", var.ingress_ipv6_cidr_blocks)))
  from_port        = lookup(var.ingress_with_ipv6_cidr_blocks[count.index], "from_port", try(local.rules[var.ingress_with_ipv6_cidr_blocks[count.index]["rule"]][0], null))
  to_port          = lookup(var.ingress_with_ipv6_cidr_blocks[count.index], "to_port", try(local.rules[var.ingress_with_ipv6_cidr_blocks[count.index]["rule"]][1], null))
  protocol         = lookup(var.ingress_with_ipv6_cidr_blocks[count.index], "protocol", try(local.rules[var.ingress_with_ipv6_cidr_blocks[count.index]["rule"]][2], null))
}

resource "aws_security_group_rule" "egress_rules" {
  count            = var.create ? length(var.egress_rules) : 0
  type             = "egress"
  cidr_blocks      = var.egress_cidr_blocks
  ipv6_cidr_blocks = var.egress_ipv6_cidr_blocks
  from_port        = local.rules[var.egress_rules[count.index]][0]
  to_port          = local.rules[var.egress_rules[count.index]][1]
  protocol         = local.rules[var.egress_rules[count.index]][2]
}
