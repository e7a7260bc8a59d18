variable "name" {
  type        = string
  description = "Name of the web servers and of their resources"
}

variable "vpc_id" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "ami_id" {
  type = string
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "ingress_ports" {
  type        = list(number)
  description = "TCP ports open to the internet"
  default     = [443]
}

variable "tags" {
  type    = map(string)
  default = {}
}
