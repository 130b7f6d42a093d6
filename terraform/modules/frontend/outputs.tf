output "url" {
  description = "Dashboard URL."
  value       = "https://${aws_cloudfront_distribution.this.domain_name}"
}

output "bucket" {
  description = "Upload frontend/dist here."
  value       = aws_s3_bucket.dashboard.id
}

output "distribution_id" {
  description = "Invalidate after an upload."
  value       = aws_cloudfront_distribution.this.id
}
