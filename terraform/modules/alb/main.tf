data "aws_elb_service_account" "this" {}

locals {
  routes  = { for r in var.routes : r.name => r }
  lambdas = { for t, v in var.targets : t => v if v.kind == "lambda" }
}

# ALB access logs support SSE-S3 only; the bucket is private and TLS-only.
resource "aws_s3_bucket" "logs" {
  bucket_prefix = "${var.name}-alb-logs-"
  force_destroy = false
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = var.log_retention_days
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnforceTls"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "ElbWritesAccessLogs"
        Effect    = "Allow"
        Principal = { AWS = data.aws_elb_service_account.this.arn }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/alb/*"
      },
    ]
  })
}

resource "aws_lb" "this" {
  name                       = var.name
  internal                   = false
  load_balancer_type         = "application"
  security_groups            = [var.security_group_id]
  subnets                    = var.subnet_ids
  idle_timeout               = var.alb.idleTimeoutSeconds
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = aws_s3_bucket.logs.id
    prefix  = "alb"
    enabled = true
  }

  depends_on = [aws_s3_bucket_policy.logs]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.alb.sslPolicy
  certificate_arn   = var.alb.certificateArn

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      message_body = "{\"error\":{\"code\":\"NOT_FOUND\"}}"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener" "http_redirect" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}

# One target group per routes.json target: IP targets for EKS workloads (the AWS Load Balancer
# Controller binds the pods through a TargetGroupBinding), Lambda targets for functions.
resource "aws_lb_target_group" "this" {
  for_each = var.targets

  name_prefix          = substr(replace(each.key, "-", ""), 0, 6)
  target_type          = each.value.kind == "eks" ? "ip" : "lambda"
  protocol             = each.value.kind == "eks" ? "HTTP" : null
  port                 = each.value.kind == "eks" ? var.workload_ports[each.value.workload] : null
  vpc_id               = each.value.kind == "eks" ? var.vpc_id : null
  deregistration_delay = each.value.kind == "eks" ? 30 : null

  dynamic "health_check" {
    for_each = each.value.kind == "eks" ? [1] : []
    content {
      path    = "/health"
      matcher = "200"
    }
  }
}

resource "aws_lambda_permission" "alb" {
  for_each = local.lambdas

  statement_id  = "AllowAlb"
  action        = "lambda:InvokeFunction"
  function_name = var.function_names[each.value.function]
  principal     = "elasticloadbalancing.amazonaws.com"
  source_arn    = aws_lb_target_group.this[each.key].arn
}

resource "aws_lb_target_group_attachment" "lambda" {
  for_each = local.lambdas

  target_group_arn = aws_lb_target_group.this[each.key].arn
  target_id        = var.function_arns[each.value.function]
  depends_on       = [aws_lambda_permission.alb]
}

# One listener rule per route of routes.json: paths, methods (none = any), priority, target.
resource "aws_lb_listener_rule" "route" {
  for_each = local.routes

  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.value.target].arn
  }

  condition {
    path_pattern {
      values = each.value.paths
    }
  }

  dynamic "condition" {
    for_each = length(each.value.methods) > 0 ? [each.value.methods] : []
    content {
      http_request_method {
        values = condition.value
      }
    }
  }
}

# The AWS Load Balancer Controller may only register targets into the gateway target group.
resource "aws_iam_role" "lb_controller" {
  name        = "${var.name}-lb-controller"
  description = "AWS Load Balancer Controller, TargetGroupBinding for EKS targets only"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "pods.eks.amazonaws.com" }, Action = ["sts:AssumeRole", "sts:TagSession"] }]
  })
}

resource "aws_iam_role_policy" "lb_controller" {
  name = "target-group-binding"
  role = aws_iam_role.lb_controller.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
        Resource = [for t, v in var.targets : aws_lb_target_group.this[t].arn if v.kind == "eks"]
      },
      {
        # Describe calls have no resource-level permissions.
        Effect = "Allow"
        Action = ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTags",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]
        Resource = ["*"]
      },
    ]
  })
}

resource "aws_eks_pod_identity_association" "lb_controller" {
  cluster_name    = var.cluster_name
  namespace       = "kube-system"
  service_account = "aws-load-balancer-controller"
  role_arn        = aws_iam_role.lb_controller.arn
}

resource "aws_wafv2_web_acl" "this" {
  name  = "${var.name}-alb"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "RateLimitPerIp"
    priority = 0
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.rate_limit_per_5min
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      sampled_requests_enabled   = true
      metric_name                = "RateLimitPerIp"
    }
  }

  dynamic "rule" {
    for_each = { 1 = "AWSManagedRulesAmazonIpReputationList", 2 = "AWSManagedRulesKnownBadInputsRuleSet", 3 = "AWSManagedRulesCommonRuleSet" }
    content {
      name     = rule.value
      priority = tonumber(rule.key)
      override_action {
        none {}
      }
      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.value
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        sampled_requests_enabled   = true
        metric_name                = rule.value
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    sampled_requests_enabled   = true
    metric_name                = "${var.name}-acl"
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}
