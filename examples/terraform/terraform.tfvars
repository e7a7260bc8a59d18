environment       = "prod"
vpc_id            = "vpc-0a1b2c3d4e5f60718"
subnet_ids        = ["subnet-0a1b2c3d4e5f60718", "subnet-08192a3b4c5d6e7f8"]
ami_id            = "ami-0c1c30571d2dae5c9"

# 22 was added "for debugging" and opens SSH to the internet.
web_ingress_ports = [80, 443, 22]
