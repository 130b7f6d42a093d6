# One security group per kind of endpoint. Rules that name the EKS cluster security group live in the
# eks module, which creates it. Stateful tiers have no egress rule: they only answer.

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "crypto-oms ALB: HTTPS and the HTTP redirect from anywhere"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = { https = 443, http_redirect = 80 }

  security_group_id = aws_security_group.alb.id
  description       = each.key == "https" ? "HTTPS" : "HTTP, redirected to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
}

# The ALB only talks to targets inside the VPC (gateway pods; Lambda targets are invoked by the service).
resource "aws_vpc_security_group_egress_rule" "alb" {
  security_group_id = aws_security_group.alb.id
  description       = "to targets in the VPC"
  cidr_ipv4         = aws_vpc.this.cidr_block
  ip_protocol       = "tcp"
  from_port         = var.gateway_port
  to_port           = var.gateway_port
}

resource "aws_security_group" "lambda" {
  name        = "${var.name}-lambda"
  description = "crypto-oms Lambdas"
  vpc_id      = aws_vpc.this.id
}

# Lambdas call AWS APIs (endpoints and NAT), MSK and DocumentDB.
resource "aws_vpc_security_group_egress_rule" "lambda" {
  security_group_id = aws_security_group.lambda.id
  description       = "AWS APIs, MSK and DocumentDB"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_security_group" "msk" {
  name        = "${var.name}-msk"
  description = "crypto-oms MSK brokers: TLS+IAM port from clients only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "msk_from_lambda" {
  security_group_id            = aws_security_group.msk.id
  description                  = "Lambdas (ESM pollers and admin producer)"
  referenced_security_group_id = aws_security_group.lambda.id
  ip_protocol                  = "tcp"
  from_port                    = var.msk_port
  to_port                      = var.msk_port
}

# MSK event source mappings poll from ENIs that carry the cluster's own security group, so the group
# admits itself and may reach itself.
resource "aws_vpc_security_group_ingress_rule" "msk_self" {
  security_group_id            = aws_security_group.msk.id
  description                  = "ESM pollers and inter-broker"
  referenced_security_group_id = aws_security_group.msk.id
  ip_protocol                  = "tcp"
  from_port                    = var.msk_port
  to_port                      = var.msk_port
}

resource "aws_vpc_security_group_egress_rule" "msk_self" {
  security_group_id            = aws_security_group.msk.id
  description                  = "ESM pollers to brokers"
  referenced_security_group_id = aws_security_group.msk.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "crypto-oms ElastiCache: TLS port from the gateway only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_security_group" "docdb" {
  name        = "${var.name}-docdb"
  description = "crypto-oms DocumentDB: from the Lambdas and the gateway pods only"
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "docdb_from_lambda" {
  security_group_id            = aws_security_group.docdb.id
  description                  = "Lambdas"
  referenced_security_group_id = aws_security_group.lambda.id
  ip_protocol                  = "tcp"
  from_port                    = var.docdb_port
  to_port                      = var.docdb_port
}
