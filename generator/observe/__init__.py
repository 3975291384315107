"""`aurora-gen observe`: the running cluster's CloudWatch metrics beside the model's prediction (issue 13).

One module per job: facts (the dated data file), series (statistics of a time series), from_file (the
`--from` JSON), cloudwatch (boto3), compare (observed / predicted / warnings), recommend (ACU range,
storage type, the steady-cluster note), factors and observed_file (`--write`), formats (table, markdown,
JSON) and run (what the CLI calls).
"""
