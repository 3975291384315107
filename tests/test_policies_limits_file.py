"""policies/limits.yaml is validated when loaded: a bad file is one line naming the field, never a traceback,
and a typo never weakens a rule.

Split from test_policies_bite.py (over 400 lines), whose helpers and tree fixtures it shares.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policies import engine
from tests.test_policies_bite import REPO, found, run, set_var


# ---------------------------------------------------------------------------
# policies/limits.yaml validated when loaded: a bad file is one line naming the field, never a
# traceback, and a typo never weakens a rule
# ---------------------------------------------------------------------------
def edit_limits(root: Path, old: str, new: str) -> None:
    path = root / "policies/limits.yaml"
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


# (id, old text, new text, what the one-line error must say)
BAD_LIMITS = [
    ("malformed-yaml", "defaults:\n", "defaults: [\n", "policies/limits.yaml: line "),
    (
        "top-level-list",
        None,
        "- 1\n- 2\n",
        "policies/limits.yaml: must be a mapping with aws_limits, prices, defaults, environments, not list",
    ),
    (
        "headroom-string",
        "headroom_percent: 20",
        'headroom_percent: "twenty"',
        'policies/limits.yaml: defaults.connections.headroom_percent: must be a number from 0 to below 100, not "twenty"',
    ),
    (
        "headroom-typo",
        "headroom_percent: 20",
        "headroom_pct: 20",
        "policies/limits.yaml: defaults.connections.headroom_pct: unknown key (known: headroom_percent, direct_reserve)",
    ),
    (
        "env-key-typo",
        "retention_days_min: 14",
        "retention_day_min: 14",
        "policies/limits.yaml: environments.prod.backup.retention_day_min: unknown key (keys of defaults: ",
    ),
    (
        "env-unknown-section",
        "  prod:\n",
        "  prod:\n    accu: {max_ceiling: 64}\n",
        "policies/limits.yaml: environments.prod.accu: unknown key",
    ),
    (
        "bool-as-string",
        "deletion_protection_required: true",
        'deletion_protection_required: "yes"',
        'policies/limits.yaml: environments.prod.backup.deletion_protection_required: must be true or false, not "yes"',
    ),
    (
        "number-as-bool",
        "retention_days_min: 7",
        "retention_days_min: true",
        "policies/limits.yaml: defaults.backup.retention_days_min: must be a whole number >= 0, not true",
    ),
    (
        "aws-ref-unresolved",
        "aws:backup.window_min_minutes",
        "aws:backup.window_minimum",
        "policies/limits.yaml: defaults.backup.window_min_minutes: aws:backup.window_minimum does not resolve in "
        "generator/data/aws-limits-",
    ),
    (
        "required-missing",
        "    direct_reserve: 20\n",
        "",
        "policies/limits.yaml: defaults.connections.direct_reserve: missing",
    ),
    (
        "env-value-unset",
        "    acu: {min_floor: 1, max_ceiling: 8}\n",
        "",
        "policies/limits.yaml: environments.staging.acu.min_floor: not set (null in defaults and no value",
    ),
    (
        "top-level-unknown",
        "\nenvironments:\n",
        "\nenvironments: {}\nenvironment:\n",
        "policies/limits.yaml: environment: unknown key (known: aws_limits, prices, defaults, environments)",
    ),
    (
        "env-block-not-mapping",
        "  prod:\n",
        "  prod: 5\n  prod-old:\n",
        "policies/limits.yaml: environments.prod: must be a mapping, not int",
    ),
    (
        "aws-limits-elsewhere",
        "aws_limits: generator/data/aws-limits-2025-11.yaml",
        "aws_limits: other.yaml",
        "policies/limits.yaml: aws_limits: must name generator/data/aws-limits-2025-11.yaml",
    ),
]


@pytest.mark.parametrize("old,new,text", [b[1:] for b in BAD_LIMITS], ids=[b[0] for b in BAD_LIMITS])
def test_bad_limits_file_is_one_line_naming_the_field(tree, old, new, text):
    if old is None:
        (tree / "policies/limits.yaml").write_text(new)
    else:
        edit_limits(tree, old, new)
    with pytest.raises(engine.LimitsError) as exc:
        engine.evaluate_root(tree)
    message = str(exc.value)
    assert message.startswith(text), message
    assert "\n" not in message


@pytest.mark.parametrize(
    "old,new",
    [
        ("headroom_percent: 20", 'headroom_percent: "twenty"'),
        ("headroom_percent: 20", "headroom_pct: 20"),
        ("defaults:\n", "defaults: [\n"),
    ],
    ids=["type", "typo", "yaml"],
)
def test_bad_limits_file_cli_exit_2_and_pytest_fails_without_traceback(tree, old, new):
    edit_limits(tree, old, new)
    cli = run("-m", "policies", "--root", str(tree))
    assert cli.returncode == 2, cli.stdout + cli.stderr
    lines = cli.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policies: policies/limits.yaml: "), cli.stderr
    out = run("-m", "pytest", "-q", "-p", "no:cacheprovider", "policies", "--root", str(tree), cwd=REPO)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "policies/limits.yaml: " in out.stdout and "Traceback" not in out.stdout + out.stderr
    assert "engine.py" not in out.stdout, "no frames of the engine: the reason only"
    assert " passed" not in out.stdout.splitlines()[-1]


def test_limits_typo_in_an_environment_never_weakens_a_rule(tree):
    """Before validation, prod's `retention_day_min: 14` silently fell back to the default 7."""
    edit_limits(tree, "retention_days_min: 14", "retention_day_min: 14")
    set_var(tree, "prod", "backup_retention_period", "7")
    with pytest.raises(engine.LimitsError, match=r"environments\.prod\.backup\.retention_day_min: unknown key"):
        found(tree, "prod")


def test_limits_inherits_is_not_a_key(tree):
    """`inherits:` was never used by limits.yaml and is gone: an environment's block is merged over defaults only."""
    edit_limits(tree, "  staging:\n", "  staging:\n    inherits: dev\n")
    with pytest.raises(engine.LimitsError, match=r"environments\.staging\.inherits: unknown key"):
        engine.evaluate_root(tree)


# ---------------------------------------------------------------------------
# A strict limits file
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "old,new,text",
    [
        (
            "  prod:\n",
            "  prod:\n    acu: {min_floor: 2, max_ceiling: 64}\n",
            "policies/limits.yaml: line 95: not valid YAML: duplicate key 'acu'",
        ),
        (
            "acu: {min_floor: 2, max_ceiling: 32}",
            "acu: {min_floor: 16, max_ceiling: 8}",
            "policies/limits.yaml: environments.prod.acu: min_floor (16) is above max_ceiling (8)",
        ),
        (
            "      retention_days_min: 14",
            "      retention_days_min: 40",
            "policies/limits.yaml: environments.prod.backup.retention_days_min: 40 is outside AWS's 1..35 days",
        ),
        ("environments:\n", "environments:\n  ? [a]\n  : {}\n", "a key is a list, not text"),
    ],
)
def test_contradictory_or_duplicated_limits_are_errors(tree, old, new, text):
    path = tree / "policies/limits.yaml"
    body = path.read_text()
    assert body.count(old) == 1
    path.write_text(body.replace(old, new))
    with pytest.raises(engine.LimitsError) as exc:
        engine.evaluate_root(tree)
    assert text in str(exc.value), str(exc.value)
    cli = subprocess.run(
        [sys.executable, "-m", "policies", "--root", str(tree)], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert cli.returncode == 2 and cli.stderr.count("\n") == 1 and "Traceback" not in cli.stderr


def test_duplicate_limits_key_names_it(tree):
    path = tree / "policies/limits.yaml"
    path.write_text(path.read_text().replace("  prod:\n", "  prod:\n    acu: {min_floor: 2, max_ceiling: 64}\n"))
    with pytest.raises(engine.LimitsError, match=r"duplicate key 'acu'"):
        engine.evaluate_root(tree)
