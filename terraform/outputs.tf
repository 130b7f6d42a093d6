output "api_url" {
  description = "Public API base URL (point the domain at alb_dns_name first)."
  value       = "https://${local.sizing.alb.domainName}"
}

output "alb_dns_name" {
  description = "Point the certificate's domain (CNAME/alias) here."
  value       = module.alb.dns_name
}

output "dashboard_url" {
  description = "Dashboard URL."
  value       = module.frontend.url
}

output "dashboard_bucket" {
  description = "Upload frontend/dist here."
  value       = module.frontend.bucket
}

output "distribution_id" {
  description = "Invalidate after an upload."
  value       = module.frontend.distribution_id
}

output "msk_cluster_arn" {
  description = "MSK cluster ARN."
  value       = module.msk.cluster_arn
}

output "msk_bootstrap_brokers_iam" {
  description = "MSK bootstrap brokers (TLS + IAM, port 9098)."
  value       = module.msk.bootstrap_brokers_sasl_iam
}

output "redis_endpoint" {
  description = "ElastiCache endpoint (TLS)."
  value       = module.redis.endpoint
}

output "redis_auth_secret_arn" {
  description = "Secret holding the Redis AUTH token."
  value       = module.redis.auth_secret_arn
}

output "docdb_endpoint" {
  description = "DocumentDB cluster endpoint (TLS)."
  value       = module.documentdb.endpoint
}

output "docdb_secret_arn" {
  description = "Secret holding the DocumentDB master user."
  value       = module.documentdb.secret_arn
}

output "key_encryption_secret_arn" {
  description = "Secret the API-secret key-encryption key is derived from (never rotate without re-sealing)."
  value       = module.workloads.kek_secret_arn
}

output "token_secret_arn" {
  description = "Secret the key signing the gateway's session and WebSocket tokens is derived from (gateway, order-query, admin)."
  value       = module.workloads.token_secret_arn
}

output "api_keys_secret_arn" {
  description = "Secret holding the gateway API keys JSON."
  value       = module.workloads.api_keys_secret_arn
}

output "workload_role_arns" {
  description = "Pod identity role by workload."
  value       = module.workloads.role_arns
}

output "vpc_id" {
  description = "VPC id (the Load Balancer Controller chart needs it)."
  value       = module.network.vpc_id
}

output "cluster_name" {
  description = "EKS cluster name."
  value       = module.eks.cluster_name
}

output "repository_urls" {
  description = "ECR repository by workload."
  value       = module.eks.repository_urls
}

output "gateway_target_group_arn" {
  description = "Target group the gateway pods bind to (TargetGroupBinding)."
  value       = module.alb.target_group_arns["gateway"]
}

output "lb_controller_role_arn" {
  description = "Pod identity role of the AWS Load Balancer Controller."
  value       = module.alb.lb_controller_role_arn
}

output "alarm_topic_arn" {
  description = "Subscribe on-call to this topic."
  value       = module.observability.alarm_topic_arn
}

output "update_kubeconfig" {
  description = "Command that points kubectl at the cluster."
  value       = "aws eks update-kubeconfig --region ${local.sizing.region} --name ${module.eks.cluster_name} --role-arn ${module.eks.operator_role_arn}"
}

# The deploy-time values the Kubernetes manifests need, in the shape of `cdk deploy --outputs-file`, so
# the one renderer (cdk/cmd/manifests) serves both tools:
#   terraform output -json manifest_inputs > tf-outputs.json
output "manifest_inputs" {
  description = "Inputs of cdk/cmd/manifests, shaped like the CDK outputs file."
  value = {
    "CryptoOms-${var.profile}-Data" = {
      MskBootstrapBrokersIam = module.msk.bootstrap_brokers_sasl_iam
      RedisEndpoint          = module.redis.endpoint
      RedisAuthSecretArn     = module.redis.auth_secret_arn
      DocdbEndpoint          = module.documentdb.endpoint
      DocdbSecretArn         = module.documentdb.secret_arn
      KeyEncryptionSecretArn = module.workloads.kek_secret_arn
      TokenSecretArn         = module.workloads.token_secret_arn
    }
    "CryptoOms-${var.profile}-Compute" = merge(
      { ApiKeysSecretArn = module.workloads.api_keys_secret_arn },
      { for w, url in module.eks.repository_urls : "Repo${upper(substr(w, 0, 1))}${substr(w, 1, -1)}" => url },
    )
    "CryptoOms-${var.profile}-Edge" = {
      GatewayTargetGroupArn = module.alb.target_group_arns["gateway"]
    }
  }
}
