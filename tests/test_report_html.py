"""make report-html: the charts and reports/sizing.html, opened in Debian's headless Chromium.

The browser is driven through the Chrome DevTools protocol over --remote-debugging-pipe (fds 3 and 4,
NUL-terminated JSON): no websocket library, no driver download. `make browser-setup` installs chromium.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from matplotlib.transforms import Bbox

from generator.cli import main
from generator.outputs.chart_layout import SIZE_PX
from tests.chromium import VIEWPORT, Chromium, open_page
from tests.conftest import REPO

CHARTS = ("cost.png", "storage.png", "acu-profile.png", "storage-type.png", "growth.png")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        reason = "chromium is not installed: run `make browser-setup` (make test does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    chrome = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = CliRunner(mix_stderr=False).invoke(main, ["--root", str(REPO), "report-html", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


# ---------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------
def test_report_html_writes_the_page_and_four_charts(reports):
    from PIL import Image

    assert sorted(p.name for p in reports.iterdir()) == sorted([*CHARTS, "sizing.html"])
    for name in CHARTS:
        with Image.open(reports / name) as img:
            assert img.format == "PNG" and img.size == SIZE_PX
            assert len(img.convert("RGB").getcolors(1 << 20) or []) > 50, f"{name} looks blank"


def _texts(fig) -> list[tuple[str, object]]:
    """Every text a drawn figure shows, with its box in pixels (tick labels outside the axis range are not drawn)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    undrawn = set()
    for ax in fig.axes:
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = sorted(limits)
            slack = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - slack <= tick.get_loc() <= hi + slack:
                    undrawn |= {id(tick.label1), id(tick.label2)}
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in undrawn
    ]


def _crossings(fig, texts) -> list[tuple[str, str]]:
    """(text, line label) pairs where a plotted line (data, budget, limit, leader) runs through a text's box,
    within the axes (where matplotlib clips the line). Grid lines are not plotted lines."""
    out = []
    for ax in fig.axes:
        frame = ax.get_window_extent()
        for line in ax.get_lines():
            if not line.get_visible():
                continue
            path = line.get_transform().transform_path(line.get_path())
            for text, box in texts:
                inner = box.shrunk(0.98, 0.9)
                clipped = Bbox.intersection(inner, frame)
                if clipped is not None and path.intersects_bbox(clipped, filled=False):
                    out.append((text, line.get_label()))
    return out


def _all_charts(root: Path):
    from generator.inputs import data
    from generator.model import sizing
    from generator.model.sized import size_tree
    from generator.outputs import charts
    from generator.outputs.report_html import growth_figure

    seed = data.seed()
    sized = size_tree(root, projection_months=24)
    return [
        *charts.all_charts(
            sized, data.prices(), data.limits(), lambda agents, m: sizing.seed_linear_storage_gb(agents, m, seed)
        ),
        growth_figure(root, sized),  # report_html.build adds it: the page's fifth chart
    ]


@pytest.mark.parametrize("tree", ["repo", "prod at 3,000 agents"])
def test_no_chart_has_overlapping_labels_or_a_line_through_a_label(tree, prod_at_3000):
    """Titles, axis and tick labels, annotations and legend entries: no two texts of a chart overlap, and no
    plotted line crosses a text (acu-profile.png's labels were struck through by the lines they named)."""
    figures = _all_charts(REPO if tree == "repo" else prod_at_3000)
    assert len(figures) == len(CHARTS)
    for name, _, fig in figures:
        texts = _texts(fig)
        assert len(texts) > 20, f"{name}: too few labels ({len(texts)})"
        width, height = SIZE_PX
        for text, box in texts:
            assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, (name, text)
        clashes = [
            (a, b)
            for i, (a, box_a) in enumerate(texts)
            for b, box_b in texts[i + 1 :]
            if box_a.shrunk(0.98, 0.9).overlaps(box_b.shrunk(0.98, 0.9))
        ]
        assert clashes == [], f"{name}: overlapping labels {clashes}"
        assert _crossings(fig, texts) == [], f"{name}: lines through labels"
        for ax in fig.axes:  # a note or a value stays within its panel
            frame = ax.get_window_extent()
            for t in ax.texts:
                box = t.get_window_extent()
                assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, (name, t.get_text())
                assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, (name, t.get_text())


def test_the_line_check_catches_a_line_through_a_label():
    """The check above on a chart drawn to fail it: a label on the line it names."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.subplots()
    ax.plot([0, 10], [5, 5], label="max ACU")
    ax.text(5, 5, "max ACU 12", ha="center", va="center")
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    assert ("max ACU 12", "max ACU") in _crossings(fig, _texts(fig))


def test_the_storage_chart_is_on_the_models_scale_with_the_limit_noted():
    """The design's linear line set the scale (29,343 GB at prod's 36 months) and flattened the model's curve."""
    from generator.inputs import data
    from generator.model import sizing
    from generator.model.sized import size_tree

    charts = dict((name, fig) for name, _, fig in _all_charts(REPO))
    sized = size_tree(REPO, projection_months=24)
    limit_tib = data.limits()["storage"]["max_tib"]
    for ax, (name, s) in zip(charts["storage.png"].axes, sized.items(), strict=False):
        peak = max(s.report["storage_gb"]["projection"])
        low, high = ax.get_ylim()
        assert low == 0 and peak < high <= 2 * peak, (name, high, peak)  # the curve fills half the height or more
        notes = " ".join(t.get_text() for t in ax.texts)
        assert f"Aurora's limit: {limit_tib:g} TiB ({sizing.storage_limit_gb(data.limits()):,.0f} GB)" in notes
        design = sizing.seed_linear_storage_gb(s.report["agents"], 24, data.seed())
        assert f"design's linear formula: {design:,.0f} GB" in notes


def test_the_cost_chart_gives_each_segment_its_value_and_marks_a_worst_case_over_budget(prod_at_3000):
    from generator.model.sized import size_tree
    from generator.outputs.charts import OVER_BUDGET, _segments

    charts = {name: fig for name, _, fig in _all_charts(prod_at_3000)}
    sized = size_tree(prod_at_3000)
    for ax, (name, s) in zip(charts["cost.png"].axes, sized.items(), strict=False):
        cost = s.report["cost_usd_month"]
        texts = [t.get_text() for t in ax.texts]
        segments = _segments(cost)
        assert sum(usd for _, _, usd, _ in segments) == pytest.approx(cost["total"], abs=0.01)
        for _, label, usd, _ in segments:  # every segment is named with its value
            assert f"{label.split(' (')[0]} ${usd:,.0f}" in texts, (name, label, texts)
        over = cost["worst_case"] > s.report["budget_usd"]
        assert (name == "prod") == over  # at 3,000 agents only prod's worst case is over its budget
        worst = next(t for t in ax.texts if t.get_text().startswith("worst case"))
        if over:
            excess = cost["worst_case"] - s.report["budget_usd"]
            assert worst.get_text() == f"worst case ${cost['worst_case']:,.0f}, ${excess:,.0f} over"
            assert worst.get_color() == OVER_BUDGET and "worst case over budget" in ax.get_title()
        else:
            assert "over budget" not in worst.get_text() + ax.get_title()


def test_page_is_self_contained_and_carries_figures_warnings_and_sources(reports):
    page = (reports / "sizing.html").read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page), "the page links something outside itself"
    assert page.count('<img src="data:image/png;base64,') == len(CHARTS)
    prod = json.loads(
        CliRunner(mix_stderr=False)
        .invoke(main, ["--root", str(REPO), "report", "--env", "prod", "--format", "json"])
        .stdout
    )
    assert (
        f"${prod['cost_usd_month']['total']:,.2f}" in page and f"${prod['cost_usd_month']['worst_case']:,.2f}" in page
    )
    assert "<h2>Warnings</h2>" in page and "no warnings" in page
    # promotion order (dev, staging, prod), as every listing of the environments
    assert page.index("<td>dev</td>") < page.index("<td>staging</td>") < page.index("<td>prod</td>")
    assert all(f"<code>{s['path']}</code>, dated {s['date']}" in page for s in prod["sources"])
    req = prod["acu"]["required"]
    assert f"<td>{req['peak']:g} ({req['binding']}) / {req['baseline']:g}<br>" in page


def test_bad_sizing_writes_nothing(tmp_path):
    (tmp_path / "envs/dev").mkdir(parents=True)
    (tmp_path / "envs/dev/sizing.yaml").write_text("agents: -3\n")
    out = tmp_path / "out"
    result = CliRunner(mix_stderr=False).invoke(main, ["--root", str(tmp_path), "report-html", "--out", str(out)])
    assert result.exit_code == 2 and "envs/dev/sizing.yaml: agents" in result.stderr and not out.exists()


def test_render_and_report_never_import_matplotlib():
    code = (
        "import sys; from click.testing import CliRunner; from generator.cli import main; r = CliRunner()\n"
        f"for args in (['render', '--check'], ['report', '--env', 'prod'], ['diff', '--help']):\n"
        f"    assert r.invoke(main, ['--root', {str(REPO)!r}, *args]).exit_code == 0, args\n"
        "print('matplotlib' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


# ---------------------------------------------------------------------------
# In the browser
# ---------------------------------------------------------------------------
def test_charts_render_in_chromium_without_console_errors(browser, reports):
    from PIL import Image, ImageChops, ImageStat

    probe, png, errors = open_page(browser, (reports / "sizing.html").as_uri())
    (reports / "sizing-screenshot.png").write_bytes(png)
    assert errors == []
    assert probe["external"] == []
    assert [i["id"] for i in probe["images"]] == [n.removesuffix(".png") for n in CHARTS]
    shot = Image.open(io.BytesIO(png)).convert("RGB")
    assert shot.size == (VIEWPORT[0], probe["height"])
    for img in probe["images"]:
        assert img["complete"] and (img["naturalWidth"], img["naturalHeight"]) == SIZE_PX, img
        # Shown at its own size (the page is wide enough), so the screenshot holds the chart pixel for pixel.
        assert (round(img["width"]), round(img["height"])) == SIZE_PX, img
        x, y = round(img["x"]), round(img["y"])
        crop = shot.crop((x, y, x + SIZE_PX[0], y + SIZE_PX[1]))
        assert len(crop.getcolors(1 << 20) or []) > 50, f"{img['id']} is blank on screen"
        with Image.open(reports / f"{img['id']}.png") as chart:
            diff = ImageStat.Stat(ImageChops.difference(crop, chart.convert("RGB"))).mean
        assert max(diff) < 8, f"{img['id']} on screen differs from its PNG (mean difference {diff})"


def test_the_browser_check_catches_a_broken_page(browser, tmp_path):
    """The same probe on a page with a broken image and a script error: both are caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><figure id="x"><img src="data:image/png;base64,AAAA"></figure>'
        '<script>console.error("boom"); undefinedFunction();</script></body></html>'
    )
    probe, _, errors = open_page(browser, bad.as_uri())
    assert probe["images"][0]["naturalWidth"] == 0
    assert any("boom" in e for e in errors) and any("undefinedFunction" in e for e in errors)


def test_policy_summary_links_the_page_once_it_exists(tmp_path):
    summary = tmp_path / "policy-summary.md"

    def run() -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "policies", "-q", "--root", str(REPO), "--summary", str(summary)],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return summary.read_text()

    assert "sizing.html" not in run()
    (tmp_path / "sizing.html").write_text("<!DOCTYPE html>")
    assert "[sizing.html](sizing.html)" in run()


@pytest.mark.parametrize("blocker", ["file", "device", "is-a-file"])
def test_an_unusable_out_folder_is_one_line(tmp_path, blocker):
    """--out below a file, at a file, or where no folder can be made (/proc): one line naming it, exit 2."""
    (tmp_path / "a-file").write_text("x")
    out = {
        "file": tmp_path / "a-file" / "reports",
        "device": Path("/proc/aurora-gen-reports"),
        "is-a-file": tmp_path / "a-file",
    }[blocker]
    result = CliRunner(mix_stderr=False).invoke(main, ["--root", str(REPO), "report-html", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(out) in lines[0] and "cannot write" in lines[0], result.stderr
    assert not out.exists() or out.read_text() == "x"


def test_the_charts_break_even_is_the_results_flip_where_both_types_cost_the_same():
    from generator.inputs import data
    from generator.model.sized import size_tree
    from generator.outputs.chart_storage_type import cost_at_io

    io_prices = data.prices()["io_per_million"]
    for name, sized in size_tree(REPO).items():
        rep = sized.report
        std, opt = rep["cost_usd_month_standard"], rep["cost_usd_month_io_optimized"]
        even = rep["recommendation"]["flip"]["billed_million_per_month"]
        assert even is not None and even > 0, name
        assert cost_at_io(std, even, io_prices["aurora"]) == pytest.approx(
            cost_at_io(opt, even, io_prices["aurora-iopt1"]), abs=0.02
        )
        # at today's I/O, the chart's lines are the report's totals
        now = rep["iops"]["billed_million_per_month"]
        assert cost_at_io(std, now, io_prices["aurora"]) == pytest.approx(std["total"], abs=0.02)


def test_the_cost_table_lists_every_part_the_total_sums():
    """The table once left out KMS, secrets and monitoring (and global database and Extended Support where
    billed), so its parts did not add up to the total above them."""
    from generator.model.pricing import PARTS
    from generator.model.sized import size_tree
    from generator.outputs.report_html import page

    sized = size_tree(REPO)
    html = page(sized, [])
    table = html.split("<h2>Cost parts</h2>", 1)[1].split("</table>", 1)[0]
    rows = {
        cells[0]: cells[1:]
        for cells in (re.findall(r"<t[dh]>(.*?)</t[dh]>", row) for row in table.split("</tr>"))
        if cells
    }
    labels = list(rows)[1 : 1 + len(PARTS)]  # after the header, the parts in PARTS' order
    assert labels[-1] != "total" and list(rows)[1 + len(PARTS)] == "total", labels
    for i, (name, s) in enumerate(sized.items()):
        cost = s.report["cost_usd_month"]
        money = [float(rows[label][i].strip("$").replace(",", "")) for label in labels]
        assert money == [cost[key] for key, _ in PARTS], name
        total = float(rows["total"][i].strip("$").replace(",", ""))
        assert abs(sum(money) - total) <= 0.005 * len(PARTS), (name, money, total)  # each part rounded to the cent
        assert cost["kms"] > 0 and cost["monitoring"] > 0  # the parts the table once left out bill something here


# Where each summary column's cells end on the page, and how wide the page may be read without scrolling.
NARROW = (900, 900)
SUMMARY_PROBE = """JSON.stringify({
  height: Math.ceil(document.documentElement.scrollHeight),
  viewport: document.documentElement.clientWidth,
  scrollWidth: document.documentElement.scrollWidth,
  columns: Array.from(document.querySelector('#summary tr').cells).map((th, i) => ({
    name: th.textContent,
    right: Math.max(...Array.from(document.querySelectorAll('#summary tr'))
      .map(tr => tr.cells[i].getBoundingClientRect().right)),
    visible: Array.from(document.querySelectorAll('#summary tr')).every(tr => {
      const r = tr.cells[i].getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(tr.cells[i]).visibility === 'visible';
    })
  }))
})"""


def test_the_page_reads_at_900_px(browser, reports):
    """At 900 px the summary table hid its budget and warnings columns beyond the right edge."""
    probe, png, errors = open_page(browser, (reports / "sizing.html").as_uri(), NARROW, SUMMARY_PROBE)
    (reports / "sizing-900px.png").write_bytes(png)
    assert errors == []
    columns = {c["name"]: c for c in probe["columns"]}
    assert {"budget", "warnings"} <= set(columns), columns
    for column in columns.values():
        assert column["visible"] and column["right"] <= probe["viewport"], (column, probe["viewport"])
    assert probe["scrollWidth"] <= probe["viewport"], "the page scrolls sideways at 900 px"
