"""Connections: pooled total within RDS Proxy's share of max_connections at max ACU, with headroom;
the direct-connection reserve; the proxy's pool settings within AWS's ranges."""

from policies.conftest import assert_clean, concern


def test_connections(env, evaluation):
    assert_clean(concern(evaluation[env], "connections"), "connection")
