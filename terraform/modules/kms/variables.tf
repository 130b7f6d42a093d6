variable "name" {
  description = "Name prefix of the estate (cryptooms-<profile>)."
  type        = string
}

variable "region" {
  description = "Region of the estate; the logs key admits CloudWatch Logs of this region only."
  type        = string
}
