# Data sources of the DR-region provider (alias aws.dr) in the module's tests.
mock_data "aws_region" {
  defaults = { name = "us-west-2" }
}
