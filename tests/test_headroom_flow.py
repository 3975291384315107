"""acu.peak_near_max reaches every place a warning goes: the report, the diff (gained, by code) and the page.
prod at 5,000 agents needs 10 ACU at peak on its max of 12 (83%, above the 80% of generator/data/headroom.yaml)."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from generator.cli import main
from generator.model.sized import size_tree
from generator.outputs.report_html import page
from tests.test_diff import diff, edit_yaml, repo  # noqa: F401 - the git repository fixture

NEAR = "acu.peak_near_max"


def test_the_diff_names_the_warning_a_fleet_gains(repo):  # noqa: F811
    edit_yaml(repo / "envs/prod/sizing.yaml", lambda d: d.update(agents=5000))
    doc = json.loads(diff(repo, "--base", "HEAD", "--format", "json").stdout)
    prod = next(e for e in doc["environments"] if e["env"] == "prod")
    assert NEAR in [w["code"] for w in prod["warnings"]["added"]]
    assert re.search(r"acu\\?\.peak\\?_near\\?_max", diff(repo, "--base", "HEAD").stdout)


def test_the_report_and_the_page_show_it(repo_copy):
    sizing = repo_copy / "envs/prod/sizing.yaml"
    sizing.write_text(sizing.read_text().replace("agents: 1000", "agents: 5000"))
    res = CliRunner(mix_stderr=False).invoke(main, ["--root", str(repo_copy), "report", "--env", "prod"])
    assert res.exit_code == 0 and f"{NEAR}: the peak needs 10 ACU, 83% of max ACU 12" in res.stdout
    html = page(size_tree(repo_copy), [], "")
    assert f"<code>{NEAR}</code>" in html and "raise acu.max to at least 12.5" in html
