output "security_group_id" {
  value = aws_security_group.this.id
}

output "availability_zone" {
  value = aws_instance.this.availability_zone
}
