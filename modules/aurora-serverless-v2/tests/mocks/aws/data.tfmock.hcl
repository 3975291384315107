# Data sources of the primary-region provider in the module's tests.
mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}

mock_data "aws_region" {
  defaults = { id = "us-east-1" } # id, not name: the module reads id (6.x deprecates name)
}

mock_data "aws_subnet" {
  defaults = { availability_zone_id = "use1-az1" } # a zone Limitless is offered in (limits.tf)
}
