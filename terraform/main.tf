# The crypto-oms estate (DESIGN.md §2), module by module, equivalent to the CDK app in ../cdk.
# Sizing and routing come from ../hotpath/estate (locals.tf); the parity test in checks/ compares the
# values these modules compute with the CDK app's synthesized templates.

data "aws_caller_identity" "current" {}

locals {
  # Broker port for TLS + IAM clients: fixed by MSK, not a sizing choice.
  msk_iam_port = 9098
  namespace    = "crypto-oms"
  workloads    = keys(local.sizing.workloads)
}

module "kms" {
  source = "./modules/kms"

  name   = local.name
  region = local.sizing.region
}

module "network" {
  source = "./modules/network"

  name         = local.name
  region       = local.sizing.region
  network      = local.sizing.network
  logs_key_arn = module.kms.key_arns["logs"]
  msk_port     = local.msk_iam_port
  docdb_port   = local.sizing.documentdb.port
  gateway_port = local.sizing.workloads.gateway.port
}

module "msk" {
  source = "./modules/msk"

  name               = "${local.name}-kafka"
  msk                = local.sizing.msk
  subnet_ids         = module.network.data_subnet_ids
  security_group_id  = module.network.security_group_ids["msk"]
  kms_key_arn        = module.kms.key_arns["msk"]
  logs_key_arn       = module.kms.key_arns["logs"]
  log_retention_days = local.sizing.logs.retentionDays
}

module "redis" {
  source = "./modules/redis"

  name              = local.name
  redis             = local.sizing.redis
  subnet_ids        = module.network.data_subnet_ids
  security_group_id = module.network.security_group_ids["redis"]
  kms_key_arn       = module.kms.key_arns["redis"]
  secrets_key_arn   = module.kms.key_arns["secrets"]
}

module "documentdb" {
  source = "./modules/documentdb"

  name                = local.name
  documentdb          = local.sizing.documentdb
  subnet_ids          = module.network.data_subnet_ids
  security_group_id   = module.network.security_group_ids["docdb"]
  kms_key_arn         = module.kms.key_arns["docdb"]
  secrets_key_arn     = module.kms.key_arns["secrets"]
  logs_key_arn        = module.kms.key_arns["logs"]
  log_retention_days  = local.sizing.logs.retentionDays
  deletion_protection = local.protect
}

module "eks" {
  source = "./modules/eks"

  name                = local.name
  account_id          = data.aws_caller_identity.current.account_id
  eks                 = local.sizing.eks
  workloads           = local.workloads
  subnet_ids          = module.network.app_subnet_ids
  public_access_cidrs = var.eks_public_access_cidrs
  security_group_ids  = module.network.security_group_ids
  kms_key_arn         = module.kms.key_arns["eks"]
  logs_key_arn        = module.kms.key_arns["logs"]
  log_retention_days  = local.sizing.logs.retentionDays
  msk_port            = local.msk_iam_port
  redis_port          = local.sizing.redis.port
  docdb_port          = local.sizing.documentdb.port
  gateway_port        = local.sizing.workloads.gateway.port
}

module "workloads" {
  source = "./modules/workloads"

  name                  = local.name
  region                = local.sizing.region
  account_id            = data.aws_caller_identity.current.account_id
  namespace             = local.namespace
  cluster_name          = module.eks.cluster_name
  msk_cluster_arn       = module.msk.cluster_arn
  msk_cluster_name      = module.msk.cluster_name
  msk_cluster_uuid      = module.msk.cluster_uuid
  redis_auth_secret_arn = module.redis.auth_secret_arn
  docdb_secret_arn      = module.documentdb.secret_arn
  secrets_key_arn       = module.kms.key_arns["secrets"]
}

module "lambdas" {
  source = "./modules/lambdas"

  name                 = local.name
  region               = local.sizing.region
  account_id           = data.aws_caller_identity.current.account_id
  lambdas              = local.sizing.lambdas
  consumers            = local.routes.consumers
  dead_letter_topic    = local.routes.deadLetterTopic
  artifact_dir         = local.lambda_artifact_dir
  subnet_ids           = module.network.app_subnet_ids
  security_group_id    = module.network.security_group_ids["lambda"]
  logs_key_arn         = module.kms.key_arns["logs"]
  log_retention_days   = local.sizing.logs.retentionDays
  edge_key_arn         = module.kms.key_arns["edge"]
  secrets_key_arn      = module.kms.key_arns["secrets"]
  docdb_secret_arn     = module.documentdb.secret_arn
  docdb_socket_address = module.documentdb.socket_address
  api_keys_secret_arn  = module.workloads.api_keys_secret_arn
  kek_secret_arn       = module.workloads.kek_secret_arn
  token_secret_arn     = module.workloads.token_secret_arn
  msk_cluster_arn      = module.msk.cluster_arn
  msk_cluster_name     = module.msk.cluster_name
  msk_cluster_uuid     = module.msk.cluster_uuid
  kafka_brokers        = module.msk.bootstrap_brokers_sasl_iam
}

module "alb" {
  source = "./modules/alb"

  name                = local.name
  alb                 = local.sizing.alb
  rate_limit_per_5min = local.sizing.waf.rateLimitPer5Min
  routes              = local.routes.routes
  targets             = local.routes.targets
  workload_ports      = { for w, s in local.sizing.workloads : w => s.port }
  function_arns       = module.lambdas.function_arns
  function_names      = module.lambdas.function_names
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.public_subnet_ids
  security_group_id   = module.network.security_group_ids["alb"]
  cluster_name        = module.eks.cluster_name
  log_retention_days  = local.sizing.logs.retentionDays
  deletion_protection = local.protect
}

module "frontend" {
  source = "./modules/frontend"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name                = local.name
  price_class         = local.sizing.frontend.priceClass
  api_domain_name     = local.sizing.alb.domainName
  rate_limit_per_5min = local.sizing.waf.rateLimitPer5Min
  log_retention_days  = local.sizing.logs.retentionDays
}

module "observability" {
  source = "./modules/observability"

  name               = local.name
  alarms             = local.sizing.alarms
  consumers          = local.routes.consumers
  dead_letter_topic  = local.routes.deadLetterTopic
  broker_count       = local.sizing.msk.brokerCount
  msk_cluster_name   = module.msk.cluster_name
  function_names     = module.lambdas.function_names
  failure_queue_name = module.lambdas.failure_queue_name
  alb_arn_suffix     = module.alb.arn_suffix
  edge_key_arn       = module.kms.key_arns["edge"]
}
