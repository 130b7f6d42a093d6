output "function_arns" {
  description = "Function ARN by name."
  value       = { for fn, f in aws_lambda_function.fn : fn => f.arn }
}

output "function_names" {
  description = "Deployed function name by name."
  value       = { for fn, f in aws_lambda_function.fn : fn => f.function_name }
}

output "failure_queue_name" {
  description = "Queue receiving failed event-source batches."
  value       = aws_sqs_queue.failures.name
}
