"""ACU: AWS's hard rules (0.5 grid, 0.5/1..256, max >= min, no 0 with the proxy) and the environment's range."""

from policies.conftest import assert_clean, concern


def test_acu(env, evaluation):
    assert_clean(concern(evaluation[env], "acu"), "ACU")
