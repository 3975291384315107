"""The charts and the page show the ranges the report states (issue 17: error bars or bands, not just a number):
each drawn band or bar ends at the JSON's `ranges.<figure>.{low,high}`."""

from __future__ import annotations

import pytest
from matplotlib.collections import PolyCollection

from generator.model.sized import size_tree
from generator.outputs.report_html import _summary
from tests.conftest import REPO
from tests.test_report_html import _all_charts


@pytest.fixture(scope="module")
def drawn():
    return {name: fig for name, _, fig in _all_charts(REPO)}, size_tree(REPO, projection_months=24)


def test_the_cost_chart_has_the_totals_range_as_an_error_bar(drawn):
    charts, sized = drawn
    for ax, (name, s) in zip(charts["cost.png"].axes, sized.items(), strict=False):
        r = s.report["ranges"]["cost_total_usd_month"]
        bars = [c for c in ax.containers if type(c).__name__ == "ErrorbarContainer"]
        assert len(bars) == 1, name
        (segment,) = bars[0].lines[2][0].get_segments()
        assert [y for _, y in segment] == pytest.approx([r["low"], r["high"]], abs=0.01), name
        assert ax.get_title().endswith(f"\ntotal's range ${r['low']:,.0f}-${r['high']:,.0f}"), ax.get_title()


def test_the_acu_chart_shades_the_required_peaks_range(drawn):
    charts, sized = drawn
    for ax, (name, s) in zip(charts["acu-profile.png"].axes, sized.items(), strict=False):
        r = s.report["ranges"]["acu_required_peak"]
        bands = [c for c in ax.collections if c.get_label() == "range of the required peak (assumptions)"]
        assert len(bands) == 1 and isinstance(bands[0], PolyCollection), name
        ys = bands[0].get_paths()[0].vertices[:, 1]
        assert (min(ys), max(ys)) == pytest.approx((r["low"], r["high"])), name  # past the top edge if need be
        assert ax.get_title().endswith(f"peak range {r['low']:g}-{r['high']:g}"), ax.get_title()


def test_the_storage_type_chart_shades_the_billed_io_range_and_says_when_the_choice_is_uncertain(drawn):
    charts, sized = drawn
    for ax, (name, s) in zip(charts["storage-type.png"].axes, sized.items(), strict=False):
        r, rec = s.report["ranges"]["billed_io_million_per_month"], s.report["recommendation"]
        span = next(p for p in ax.patches if p.get_label() == "range of the billed I/O (assumptions)")
        assert (span.get_x(), span.get_x() + span.get_width()) == pytest.approx((r["low"], r["high"])), name
        note = next(t.get_text() for t in ax.texts if t.get_text().startswith("now:"))
        assert f"range {r['low']:,.0f}-{r['high']:,.0f} M/month" in note
        assert ("the choice is uncertain" in note) == rec["uncertain"], (name, note)


def test_the_pages_summary_gives_the_peak_and_cost_ranges(drawn):
    _, sized = drawn
    html = "\n".join(_summary(sized))
    for s in sized.values():
        peak, cost = s.report["ranges"]["acu_required_peak"], s.report["ranges"]["cost_total_usd_month"]
        assert f"peak range {peak['low']:g}-{peak['high']:g}" in html
        assert f"range ${cost['low']:,.2f}-${cost['high']:,.2f}" in html


def test_the_storage_type_chart_prices_io_in_the_environments_region(tmp_path):
    """dev in ap-northeast-1: its break-even was drawn at us-east-1's I/O price (92.9 M against the report's
    77.4 M a month); now each panel uses its own region's price and meets the report's flip point."""
    import shutil

    from tests.test_report_html import _all_charts

    shutil.copytree(REPO / "envs", tmp_path / "envs", ignore=shutil.ignore_patterns(".terraform"))
    sizing = tmp_path / "envs/dev/sizing.yaml"
    sizing.write_text(sizing.read_text() + "region: ap-northeast-1\n")
    sized = size_tree(tmp_path, projection_months=24)
    assert sized["dev"].report["region"] == "ap-northeast-1"
    charts = {name: fig for name, _, fig in _all_charts(tmp_path)}
    for ax, (name, s) in zip(charts["storage-type.png"].axes, sized.items(), strict=False):
        flip = s.report["recommendation"]["flip"]["billed_million_per_month"]
        (even,) = [line for line in ax.lines if line.get_label() == "break-even"]
        assert even.get_xdata()[0] == pytest.approx(flip, rel=0.01), name
