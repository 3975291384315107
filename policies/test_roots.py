"""Roots: every module argument is the root's variable of the same name or the expression policies/roots.yaml
allows, the module is the repository's, no other module, provider, block or override, no drift between roots."""

from policies.conftest import assert_clean, concern


def test_roots(env, evaluation):
    assert_clean(concern(evaluation[env], "roots"), "root code")
