"""The same rules on a `terraform show -json` plan, when one is given (make policy PLAN=path):
values resolved inside the module (scaling configuration, retention, proxy pool, backup plan rules)."""

from policies.conftest import assert_clean


def test_plan(plan_path, plan_results):
    assert_clean(plan_results[plan_path].violations, "plan")
