"""What the result becomes: reports, the HTML page and charts, tfvars, the diff."""
