provider "aws" {
  region = local.sizing.region

  default_tags {
    tags = local.tags
  }
}

# A CLOUDFRONT-scope web ACL must be created in us-east-1, whatever region the estate is in.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.tags
  }
}
