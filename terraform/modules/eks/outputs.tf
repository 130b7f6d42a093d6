output "cluster_name" {
  description = "EKS cluster name."
  value       = aws_eks_cluster.this.name
}

output "cluster_security_group_id" {
  description = "Security group EKS gives the nodes and pods."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "operator_role_arn" {
  description = "Role operators assume for kubectl."
  value       = aws_iam_role.operator.arn
}

output "repository_urls" {
  description = "ECR repository URL by workload."
  value       = { for w, r in aws_ecr_repository.this : w => r.repository_url }
}
