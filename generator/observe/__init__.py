"""Comparing the sizing with the running cluster (issue 13): `aurora-gen observe` and the observation file the
model reads (envs/<env>/observed.yaml).

The command, one module per job: facts (the dated data file), series (statistics of a time series), from_file
(the `--from` JSON), cloudwatch (boto3), compare (observed / predicted / warnings), recommend (ACU range, storage
type, the steady-cluster note), factors and observed_write (`--write`), formats (table, markdown, JSON) and run
(what the CLI calls). The model's side: observed_schema and observed_file (the strict reading), apply (the
observation in the one result), diff_notes.
"""
