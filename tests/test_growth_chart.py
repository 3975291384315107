"""growth.png (make report-html) draws grow's report: per environment the cost and the required peak ACU at each
point of the series, and a numbered line at each threshold's crossing, the numbers listed in the panel's note."""

from __future__ import annotations

import pytest

from generator.growth import grow
from generator.model.sized import size_tree
from generator.outputs.report_html import growth_figure
from tests.conftest import REPO


@pytest.fixture(scope="module")
def drawn():
    sized = size_tree(REPO, projection_months=24)
    name, caption, fig = growth_figure(REPO, sized)
    grown = {n: grow.grow(s, REPO, grow.parse_to(None, s.env.agents, REPO), n) for n, s in sized.items()}
    return name, caption, fig, grown


def test_each_panel_plots_the_series_of_grows_report(drawn):
    name, caption, fig, grown = drawn
    assert name == "growth.png" and "aurora-gen grow" in caption
    panels = [ax for ax in fig.axes if ax.get_xlabel() == "agents (log)"]
    assert len(panels) == len(grown)
    for ax, (env, rep) in zip(panels, grown.items(), strict=True):
        cost = next(line for line in ax.get_lines() if line.get_label() == "expected cost per month (left)")
        assert list(cost.get_xdata()) == [p["agents"] for p in rep["points"]], env
        assert list(cost.get_ydata()) == [p["cost_total_usd_month"] for p in rep["points"]], env
        twin = next(a for a in fig.axes if a is not ax and a.bbox.bounds == ax.bbox.bounds)
        peak = next(line for line in twin.get_lines() if line.get_label() == "required peak ACU (right)")
        assert list(peak.get_ydata()) == [p["acu_required_peak"] for p in rep["points"]], env
        assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


def test_each_crossed_threshold_is_a_line_at_its_agents_count_and_in_the_caption(drawn):
    _, caption, fig, grown = drawn
    panels = [ax for ax in fig.axes if ax.get_xlabel() == "agents (log)"]
    for ax, (env, rep) in zip(panels, grown.items(), strict=True):
        agents = [p["agents"] for p in rep["points"]]
        crossed = [t for t in rep["thresholds"] if t["agents"] is not None and agents[0] <= t["agents"] <= agents[-1]]
        marks = [line for line in ax.get_lines() if line.get_label().startswith("crossed: ")]
        assert [(m.get_label(), m.get_xdata()[0]) for m in marks] == [
            (f"crossed: {t['name']}", t["agents"]) for t in crossed
        ], env
        for t in rep["thresholds"]:
            if t["agents"]:
                assert f"{t['name']} at {t['agents']:,}" in caption, (env, t["name"])
