"""checkov custom checks of mistersmith-aurora (loaded with --external-checks-dir policies/checkov).

Run from .venv-checkov only (make policy): checkov's bc-python-hcl2 would replace python-hcl2 in .venv.
"""
