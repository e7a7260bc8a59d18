variable "name" {
  type        = string
  description = "Prefix of the names of the resources"
  default     = "example"
}

variable "environment" {
  type        = string
  description = "Environment name, used in tags"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "vpc_id" {
  type        = string
  description = "VPC of the web servers"
}

variable "subnet_ids" {
  type        = list(string)
  description = "Two private subnets of the VPC, for the servers"
}

variable "ami_id" {
  type        = string
  description = "Amazon Linux 2023 image"
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "web_ingress_ports" {
  type        = list(number)
  description = "TCP ports the web servers accept from the internet"
  default     = [80, 443]
}
