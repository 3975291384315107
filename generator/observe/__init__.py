"""Comparing the sizing with the running cluster (issue 13): `aurora-gen observe` and the observation file the
model reads (envs/<env>/observed.yaml)."""
