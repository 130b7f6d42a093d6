variable "name" {
  description = "Name prefix of the estate."
  type        = string
}

variable "alarms" {
  description = "sizing.json alarms block of the profile."
  type = object({
    consumerLagMessages = number
    http5xxPercent      = number
    p99LatencyMs        = number
    dlqMessages         = number
    lambdaErrors        = number
    mskDiskUsedPercent  = number
  })
}

variable "consumers" {
  description = "routes.json consumers (one lag alarm each)."
  type = list(object({
    function = string
    topic    = string
  }))
}

variable "dead_letter_topic" {
  description = "routes.json deadLetterTopic."
  type        = string
}

variable "broker_count" {
  description = "MSK broker count (the DLQ and disk metrics are per broker)."
  type        = number
}

variable "msk_cluster_name" {
  description = "MSK cluster name."
  type        = string
}

variable "function_names" {
  description = "Deployed Lambda name by function."
  type        = map(string)
}

variable "failure_queue_name" {
  description = "Queue receiving failed event-source batches."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ALB dimension value."
  type        = string
}

variable "edge_key_arn" {
  description = "Customer key of the alarm topic."
  type        = string
}
