output "vpc_id" {
  description = "VPC id."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "VPC CIDR."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT)."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "Private subnets with egress (EKS nodes, Lambdas)."
  value       = aws_subnet.app[*].id
}

output "data_subnet_ids" {
  description = "Isolated subnets (MSK, Redis, DocumentDB)."
  value       = aws_subnet.data[*].id
}

output "security_group_ids" {
  description = "Security group id by tier: alb, lambda, msk, redis, docdb."
  value = {
    alb    = aws_security_group.alb.id
    lambda = aws_security_group.lambda.id
    msk    = aws_security_group.msk.id
    redis  = aws_security_group.redis.id
    docdb  = aws_security_group.docdb.id
  }
}
