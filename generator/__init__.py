"""mistersmith-aurora generator: sizing model, reports and tfvars rendering."""
