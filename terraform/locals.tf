locals {
  # The single source of sizing and routing, shared with the CDK app and the cost model. Nothing in this
  # directory repeats a number from these files.
  sizing = jsondecode(file("${path.root}/../hotpath/estate/sizing.json")).profiles[var.profile]
  routes = jsondecode(file("${path.root}/../hotpath/estate/routes.json"))

  name = "cryptooms-${var.profile}"
  tags = {
    project     = "crypto-oms"
    environment = var.profile
    managed-by  = "terraform"
  }

  lambda_artifact_dir = var.lambda_artifact_dir != "" ? var.lambda_artifact_dir : "${path.root}/../build/lambdas"

  # Deletion protection follows the same rule as the CDK app: a profile with a multi-instance read
  # model is a production-like estate. Operators switch it off explicitly before a destroy.
  protect = var.deletion_protection != null ? var.deletion_protection : local.sizing.documentdb.instances > 1
}
