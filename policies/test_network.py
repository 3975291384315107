"""Network: every allowed_cidr_blocks entry (and a plan's security-group ingress CIDRs) is a valid CIDR
block inside a private range, never 0.0.0.0/0."""

from policies.conftest import assert_clean, concern


def test_network(env, evaluation):
    assert_clean(concern(evaluation[env], "network"), "network")
