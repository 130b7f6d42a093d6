variable "profile" {
  description = "Sizing profile in hotpath/estate/sizing.json (dev or prod); the same file the CDK app reads."
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "prod"], var.profile)
    error_message = "The profile must be dev or prod (the profiles of hotpath/estate/sizing.json)."
  }
}

variable "lambda_artifact_dir" {
  description = "Directory holding <function>/bootstrap as built by `make lambdas`; empty means ../build/lambdas."
  type        = string
  default     = ""
}

variable "eks_public_access_cidrs" {
  description = "CIDRs allowed to reach the EKS API endpoint (kubectl); narrow this to the operators' networks."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "deletion_protection" {
  description = "Deletion protection of DocumentDB and the ALB; null follows the profile (on when DocumentDB has more than one instance, as in the CDK app)."
  type        = bool
  default     = null
}
