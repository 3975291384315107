"""Declarations: the HCL parses, every tfvars key is declared in envs/<env>/*.tf, required variables
have values, `environment` matches the folder, and policies/limits.yaml covers the environment."""

from policies.conftest import assert_clean, concern


def test_declarations(env, evaluation):
    assert_clean(concern(evaluation[env], "declarations"), "declaration")
