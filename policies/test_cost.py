"""Cost: expected monthly cost within monthly_budget_usd; worst case (every instance at max ACU all
month) within the environment's ceiling in policies/limits.yaml."""

from policies.conftest import assert_clean, concern


def test_cost(env, evaluation):
    assert_clean(concern(evaluation[env], "cost"), "cost")
