locals {
  azs = [for i in range(var.network.azCount) : "${var.region}${substr("abcdef", i, 1)}"]

  # Same layout as the CDK app: /24 public subnets (ALB, NAT), /20 app subnets with egress (EKS nodes,
  # Lambdas), /24 isolated data subnets (MSK, Redis, DocumentDB). Offsets keep the three ranges apart.
  public_cidrs = [for i in range(var.network.azCount) : cidrsubnet(var.network.vpcCidr, 8, i)]
  app_cidrs    = [for i in range(var.network.azCount) : cidrsubnet(var.network.vpcCidr, 4, i + 1)]
  data_cidrs   = [for i in range(var.network.azCount) : cidrsubnet(var.network.vpcCidr, 8, 64 + i)]

  # Interface endpoints for the AWS APIs the nodes and Lambdas call most (image pulls, credentials,
  # secrets, KMS, logs): they keep that traffic off the NAT gateways.
  interface_endpoints = ["ecr.api", "ecr.dkr", "sts", "eks-auth", "secretsmanager", "kms", "logs"]
}

resource "aws_vpc" "this" {
  cidr_block           = var.network.vpcCidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

# Nothing may use the default security group: it loses its allow-all rules.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "public" {
  count = var.network.azCount

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.public_cidrs[count.index]
  tags              = { Name = "${var.name}-public-${local.azs[count.index]}", "kubernetes.io/role/elb" = "1" }
}

resource "aws_subnet" "app" {
  count = var.network.azCount

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.app_cidrs[count.index]
  tags              = { Name = "${var.name}-app-${local.azs[count.index]}", "kubernetes.io/role/internal-elb" = "1" }
}

resource "aws_subnet" "data" {
  count = var.network.azCount

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = local.data_cidrs[count.index]
  tags              = { Name = "${var.name}-data-${local.azs[count.index]}" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "public" {
  count = var.network.azCount

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  count  = var.network.natGateways
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  count = var.network.natGateways

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  depends_on    = [aws_internet_gateway.this]
}

# One route table per AZ; with fewer NAT gateways than AZs (dev) the AZs share them round-robin.
resource "aws_route_table" "app" {
  count  = var.network.azCount
  vpc_id = aws_vpc.this.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[count.index % var.network.natGateways].id
  }
}

resource "aws_route_table_association" "app" {
  count = var.network.azCount

  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app[count.index].id
}

# Isolated: no route out of the VPC at all.
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "data" {
  count = var.network.azCount

  subnet_id      = aws_subnet.data[count.index].id
  route_table_id = aws_route_table.data.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = concat([aws_route_table.public.id, aws_route_table.data.id], aws_route_table.app[*].id)
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "crypto-oms interface endpoints: HTTPS from inside the VPC"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints" {
  security_group_id = aws_security_group.endpoints.id
  description       = "HTTPS from the VPC"
  cidr_ipv4         = aws_vpc.this.cidr_block
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(local.interface_endpoints)

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.app[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/crypto-oms/${var.name}/vpc-flow-logs"
  retention_in_days = var.network.flowLogRetentionDays
  kms_key_id        = var.logs_key_arn
}

resource "aws_iam_role" "flow_logs" {
  name = "${var.name}-flow-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "flow_logs" {
  name = "write-flow-logs"
  role = aws_iam_role.flow_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
      Resource = [aws_cloudwatch_log_group.flow_logs.arn, "${aws_cloudwatch_log_group.flow_logs.arn}:*"]
    }]
  })
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}
