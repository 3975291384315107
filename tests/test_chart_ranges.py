"""The charts and the page show the ranges the report states (issue 17: error bars or bands, not just a number):
each drawn band or bar ends at the JSON's `ranges.<figure>.{low,high}`."""

from __future__ import annotations

import pytest
from matplotlib.collections import PolyCollection

from generator.report_html import _summary
from generator.sized import size_tree
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
