"""Strings from the inputs (a CIDR entry in a tfvars, an environment name and an address in a plan, checkov's
check_name, resource and file, a sizing report's texts) add no markup to any output: the policy summary, SARIF,
JUnit, the pull-request comment, the report and diff markdown and the HTML page.

Markdown is rendered by cmark-gfm, GitHub's own renderer (raw HTML let through, as a tag filter would only
hide it), and the rendered page is searched for what the payload tried to add.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from tests.test_ci_scripts import write
from tests.test_pr_comment import COMMENT

REPO = Path(__file__).resolve().parents[1]
# Each a construct that must not survive; each short, as messages cut values at 80 characters.
PAYLOADS = [
    "[link](https://evil.example/l)",
    "![image](https://evil.example/i.png)",
    "@everyone @evil-org/team",
    "<img src=x onerror=alert(1)>",
    "<!-- hides the rest",
    "a|b\n## INJECTED heading",
    "https://evil.example/auto www.evil.example",
    "`code` breakout` #12",
]
MENTION = re.compile(r"(?<![\w`])@(everyone|evil-org)")
AUTOLINK = re.compile(r"(https?://|www\.)evil\.example")


def rendered(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def assert_inert_html(page: str) -> None:
    """No link, image, heading, tag, comment, code span, mention or autolink made of the payloads."""
    assert "evil.example" not in " ".join(re.findall(r'(?:href|src)="([^"]*)"', page)), page
    assert "<img" not in page and "<!--" not in page, page
    assert not re.search(r"<h\d[^>]*>[^<]*INJECTED", page), page
    assert not re.search(r"<code>[^<]*(breakout|evil)", page), page
    text = unescape(re.sub(r"<[^>]+>", "", page))
    assert not MENTION.search(text) and not AUTOLINK.search(text), text
    assert "a|b" in text  # the table cell held its pipe


def assert_inert_markdown(markdown: str) -> None:
    assert_inert_html(rendered(markdown))


def _tree_with_hostile_inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the repository whose dev tfvars lists the payloads as CIDR blocks; a plan whose environment
    and address are payloads; a checkov report whose failed check is made of payloads."""
    from tests.conftest import make_copy

    root = make_copy(tmp_path / "root")
    tfvars = root / "envs/dev/terraform.tfvars"
    entries = ", ".join(json.dumps(p) for p in PAYLOADS)
    text = re.sub(r"allowed_cidr_blocks\s*=\s*\[[^\]]*\]", f"allowed_cidr_blocks = [{entries}]", tfvars.read_text())
    tfvars.write_text(text)
    plan = write(
        tmp_path / "plan.json",
        {
            "format_version": "1.2",
            "variables": {"environment": {"value": "dev <!-- @everyone"}},
            "resource_changes": [
                {
                    "address": f'aws_rds_cluster.x["{PAYLOADS[0]}"]',
                    "mode": "managed",
                    "type": "aws_rds_cluster",
                    "name": "x",
                    "change": {"actions": ["create"], "after": {}},
                }
            ],
        },
    )
    failed = {
        "check_id": "CKV_X <img src=x>",
        "check_name": " ".join(PAYLOADS[:4]),
        "resource": PAYLOADS[5],
        "file_path": "/" + PAYLOADS[6],
        "file_line_range": [1, 2],
    }
    checkov = write(
        tmp_path / "checkov.json",
        {
            "check_type": "terraform",
            "results": {"failed_checks": [failed]},
            "summary": {"passed": 0, "failed": 1, "skipped": 0, "parsing_errors": 0},
        },
    )
    return root, plan, checkov


@pytest.fixture(scope="module")
def policy_reports(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    root, plan, checkov = _tree_with_hostile_inputs(tmp)
    out = tmp / "ci" / "dev"
    proc = subprocess.run(
        [sys.executable, "-m", "policies", "--root", str(root), "--env", "dev", "--plan", str(plan), "-q"]
        + ["--summary", str(out / "policy-summary.md"), "--sarif", str(out / "policy.sarif")]
        + ["--junit", str(out / "policy-junit.xml"), "--checkov-json", str(checkov)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 1, proc.stderr
    # The payloads did reach the checks: a test of escaping that nothing hostile reaches would prove nothing.
    assert "evil.example" in proc.stdout and "@everyone" in proc.stdout, proc.stdout
    return out


def test_the_policy_summary_renders_the_payloads_as_text(policy_reports):
    summary = (policy_reports / "policy-summary.md").read_text()
    assert "evil.example" in summary and "CKV\\_X" in summary
    assert_inert_markdown(summary)


def test_sarif_messages_hold_no_embedded_link(policy_reports):
    doc = json.loads((policy_reports / "policy.sarif").read_text())
    texts = [r["message"]["text"] for r in doc["runs"][0]["results"]]
    assert any("evil.example" in t for t in texts)
    for text in texts:
        assert "\n" not in text and not re.search(r"(?<!\\)[\[\]]", text.replace("\\\\", "")), text


def test_junit_is_well_formed_and_its_failures_are_text(policy_reports):
    root = ET.parse(policy_reports / "policy-junit.xml").getroot()
    assert {e.tag for e in root.iter()} <= {"testsuite", "testcase", "failure"}
    assert any("<img src=x" in (f.text or "") for f in root.iter("failure"))  # as text, not an element


def test_the_pr_comment_renders_the_payloads_as_text(policy_reports, tmp_path):
    out = tmp_path / "comment.md"
    proc = subprocess.run(
        [sys.executable, COMMENT, policy_reports.parent, "--out", out], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    comment = out.read_text()
    assert "evil.example" in comment and "INJECTED" in comment
    assert_inert_markdown(comment)


# ---------------------------------------------------------------------------
# The generator's outputs: the report's and the diff's markdown, the HTML page
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_report() -> dict:
    """dev's real report with its texts replaced by payloads (env, warnings, sources)."""
    from generator.model.sized import size_tree

    rep = copy.deepcopy(size_tree(REPO)["dev"].report)
    rep["env"] = "dev " + PAYLOADS[4]
    rep["warnings"] = [
        {"code": p, "message": q, "change": q} for p, q in zip(PAYLOADS, reversed(PAYLOADS), strict=True)
    ]
    rep["sources"] = [{**s, "path": PAYLOADS[i]} for i, s in enumerate(rep["sources"])]
    return rep


def test_the_report_markdown_renders_the_payloads_as_text(hostile_report):
    from generator.outputs.report import to_markdown

    assert_inert_markdown(to_markdown(hostile_report))


def test_the_diff_markdown_renders_the_payloads_as_text(hostile_report):
    from generator.outputs.diff import compare, to_markdown

    head = {**hostile_report, "cost_usd_month": {**hostile_report["cost_usd_month"], "total": 1.0}}
    base = {**hostile_report, "warnings": []}
    doc = {
        "base": {"ref": "main`<img src=x>@everyone", "commit": "0" * 40},
        "sources": hostile_report["sources"],
        "notes": PAYLOADS,
        "environments": compare({"dev " + PAYLOADS[2]: base}, {"dev " + PAYLOADS[2]: head}),
    }
    markdown = to_markdown(doc)
    assert "evil.example" in markdown
    assert_inert_markdown(markdown)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_comment(self, data):
        self.comments.append(data)


def test_the_html_page_renders_the_payloads_as_text(hostile_report):
    from generator.model.sized import Sized
    from generator.outputs.report_html import page

    sized = {"dev " + PAYLOADS[3]: Sized(env=None, report=hostile_report)}
    html = page(sized, [(PAYLOADS[1] + ".png", PAYLOADS[3], b"png")])
    parser = _Elements()
    parser.feed(html)
    expected = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "p",
        "code",
        "table",
        "tr",
        "th",
        "td",
        "br",
        "small",
    }
    assert parser.tags <= expected | {"b", "ul", "li", "figure", "img", "figcaption"} and not parser.comments
    assert html.count("<img") == 1  # the chart's, none from its caption
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_grow_markdown_renders_the_payloads_as_text():
    from generator.growth import grow, output
    from generator.model.sized import size_tree

    dev = size_tree(REPO)["dev"]
    rep = copy.deepcopy(grow.grow(dev, REPO, 10 * dev.env.agents, "dev"))
    rep["env"] = "dev " + PAYLOADS[4]
    rep["topology_reason"] = PAYLOADS[0]
    rep["thresholds"] = [
        {**t, "name": PAYLOADS[i % len(PAYLOADS)], "set_in": PAYLOADS[-1 - i % len(PAYLOADS)]}
        for i, t in enumerate(rep["thresholds"])
    ]
    rep["sources"] = [{**s, "path": PAYLOADS[i % len(PAYLOADS)]} for i, s in enumerate(rep["sources"])]
    assert_inert_markdown(output.markdown(rep))
