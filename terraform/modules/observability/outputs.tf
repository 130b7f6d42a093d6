output "alarm_topic_arn" {
  description = "Subscribe on-call to this topic."
  value       = aws_sns_topic.alarms.arn
}
