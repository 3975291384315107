"""Shard group: a Limitless environment's DB shard group within AWS's bounds and the environment's range and
compute standbys; no shard group in a standard environment."""

from policies.conftest import assert_clean, concern


def test_shard_group(env, evaluation):
    assert_clean(concern(evaluation[env], "shard_group"), "shard group")
