# Values for the staging deployment: terraform plan -var-file=env/staging.tfvars
environment       = "staging"
vpc_id            = "vpc-08192a3b4c5d6e7f8"
subnet_ids        = ["subnet-0f1e2d3c4b5a69788", "subnet-07968a5b4c3d2e1f0"]
web_ingress_ports = [80, 443]
