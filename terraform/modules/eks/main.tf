data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
  ami_type  = var.eks.nodeArch == "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD"
  log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
}

resource "aws_iam_role" "cluster" {
  name = "${var.name}-eks-cluster"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "eks.amazonaws.com" }, Action = ["sts:AssumeRole", "sts:TagSession"] }]
  })
}

# EKS requires this AWS managed policy on the cluster role.
resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

# The control plane envelope-encrypts Kubernetes secrets with the EKS key, and nothing else.
resource "aws_iam_role_policy" "cluster_kms" {
  name = "secrets-envelope-key"
  role = aws_iam_role.cluster.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"], Resource = var.kms_key_arn }]
  })
}

resource "aws_cloudwatch_log_group" "cluster" {
  # EKS writes control-plane logs to this exact name.
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_key_arn
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.eks.version
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = var.public_access_cidrs
  }

  access_config {
    authentication_mode = "API"
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = var.kms_key_arn
    }
  }

  enabled_cluster_log_types = local.log_types

  depends_on = [aws_iam_role_policy_attachment.cluster, aws_cloudwatch_log_group.cluster]
}

resource "aws_iam_role" "node" {
  name = "${var.name}-eks-node"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# The AWS managed set every EKS node needs; workloads get their own roles through pod identity.
resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonEKS_CNI_Policy"])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

resource "aws_eks_node_group" "hotpath" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "hotpath"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  ami_type        = local.ami_type
  instance_types  = [var.eks.nodeInstanceType]
  disk_size       = var.eks.nodeDiskGiB

  scaling_config {
    min_size     = var.eks.nodeMin
    desired_size = var.eks.nodeDesired
    max_size     = var.eks.nodeMax
  }

  # One node at a time, so the PodDisruptionBudgets can be honoured.
  update_config {
    max_unavailable = 1
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}

# Pod identity for the workload roles. The Secrets Store CSI driver with the AWS provider and the AWS
# Load Balancer Controller are Helm charts installed by the operator (docs/deploy-terraform.md), as in
# the CDK route, so that both tools hand over the same cluster.
resource "aws_eks_addon" "this" {
  for_each = toset(["eks-pod-identity-agent"])

  cluster_name = aws_eks_cluster.this.name
  addon_name   = each.value
  depends_on   = [aws_eks_node_group.hotpath]
}

# Operators assume this role for kubectl; it is the only human entry to the cluster.
resource "aws_iam_role" "operator" {
  name        = "${var.name}-eks-operator"
  description = "crypto-oms operators: kubectl access to ${var.name}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:${local.partition}:iam::${var.account_id}:root" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_eks_access_entry" "operator" {
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_iam_role.operator.arn
}

resource "aws_eks_access_policy_association" "operator" {
  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_iam_role.operator.arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
  depends_on = [aws_eks_access_entry.operator]
}

resource "aws_ecr_repository" "this" {
  for_each = toset(var.workloads)

  name                 = "${var.name}/${each.value}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = toset(var.workloads)

  repository = aws_ecr_repository.this[each.key].name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the last 50 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 50 }
      action       = { type = "expire" }
    }]
  })
}

# The nodes (cluster security group) reach MSK, Redis and DocumentDB (the gateway looks up API keys
# created through the admin API); the ALB reaches the gateway pods. These rules live here because EKS
# creates the cluster security group.
resource "aws_vpc_security_group_ingress_rule" "msk_from_nodes" {
  security_group_id            = var.security_group_ids.msk
  description                  = "EKS pods to MSK (TLS+IAM)"
  referenced_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.msk_port
  to_port                      = var.msk_port
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_nodes" {
  security_group_id            = var.security_group_ids.redis
  description                  = "EKS pods to Redis (TLS)"
  referenced_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.redis_port
  to_port                      = var.redis_port
}

resource "aws_vpc_security_group_ingress_rule" "docdb_from_nodes" {
  security_group_id            = var.security_group_ids.docdb
  description                  = "EKS pods (gateway key lookups) to DocumentDB (TLS)"
  referenced_security_group_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.docdb_port
  to_port                      = var.docdb_port
}

resource "aws_vpc_security_group_ingress_rule" "gateway_from_alb" {
  security_group_id            = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  description                  = "ALB to gateway pods"
  referenced_security_group_id = var.security_group_ids.alb
  ip_protocol                  = "tcp"
  from_port                    = var.gateway_port
  to_port                      = var.gateway_port
}
