terraform {
  # 1.5 brings check blocks and import blocks, which the runbook uses for drift checks and adoption.
  required_version = ">= 1.5.0"

  required_providers {
    # 6.x: aws_msk_topic (topics created by the deploy, like AWS::MSK::Topic in the CDK app) exists only
    # in the 6 line.
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}
