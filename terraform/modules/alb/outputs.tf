output "dns_name" {
  description = "ALB DNS name; point the certificate's domain here."
  value       = aws_lb.this.dns_name
}

output "arn_suffix" {
  description = "ALB dimension value for CloudWatch."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arns" {
  description = "Target group ARN by routes.json target."
  value       = { for t, g in aws_lb_target_group.this : t => g.arn }
}

output "lb_controller_role_arn" {
  description = "Pod identity role of the AWS Load Balancer Controller."
  value       = aws_iam_role.lb_controller.arn
}
