"""Backups: retention, backup window length and overlap, snapshot schedule, DR copy, deletion
protection and final snapshot."""

from policies.conftest import assert_clean, concern


def test_backups(env, evaluation):
    assert_clean(concern(evaluation[env], "backups"), "backup")
