"""The month's cost against its two thresholds, told one way in the report, the page and the policy summary.

- the budget: `budget_usd` in the environment's sizing.yaml (rendered as `monthly_budget_usd`). The sizing warns
  when the expected cost (`cost.over_budget`) or the worst case (`cost.worst_case_over_budget`) is above it;
  the gate fails only on the expected cost (policy `cost.budget`).
- the ceiling: `worst_case_ceiling_usd` in policies/limits.yaml, the platform team's. The gate fails when the
  worst case is above it (policy `cost.ceiling`).

The generator never reads the ceiling: nothing in it reads policies/ (the data path runs sizing -> generator ->
tfvars -> policies), and a pull request is judged with the base branch's limits file, which only the gate knows.
So the report and the page compare with the budget and name the ceiling's file; the policy summary, which
imports this module, passes the ceiling it checked and shows the three comparisons side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

BUDGET_SET_IN = "budget_usd in sizing.yaml"
CEILING_SET_IN = "policies/limits.yaml"


def money(value: float) -> str:
    return f"${value:,.2f}"


@dataclass(frozen=True)
class Check:
    """One cost figure against one threshold."""

    figure: str  # "expected" or "worst case"
    usd: float
    threshold: str  # "budget" or "ceiling"
    limit_usd: float | None  # None: no budget set, or a ceiling this caller does not know
    set_in: str
    if_over: str  # what happens above the threshold

    @property
    def known(self) -> bool:
        return self.limit_usd is not None

    @property
    def over(self) -> bool:
        return self.limit_usd is not None and self.usd > self.limit_usd

    @property
    def percent(self) -> str:
        if not self.limit_usd:
            return "n/a"
        return f"{self.usd / self.limit_usd:.0%}"

    def verdict(self) -> str:
        """'within', 'OVER: <what happens>', or 'none set' (a budget that is not set)."""
        if self.limit_usd is None:
            return "none set"
        return f"OVER: {self.if_over}" if self.over else "within"

    def sentence(self) -> str:
        """One line: '$4,927.90 is 110% of the budget $4,500.00 (budget_usd in sizing.yaml): OVER: ...'."""
        if self.limit_usd is None:
            if self.threshold == "budget":
                return f"{money(self.usd)}; no budget set ({self.set_in})"
            return f"the {self.figure}'s ceiling is in {self.set_in}: make policy checks it; {self.if_over}"
        return (
            f"{money(self.usd)} is {self.percent} of the {self.threshold} {money(self.limit_usd)} "
            f"({self.set_in}): {self.verdict()}"
        )


def checks(expected: float, worst: float, budget: float | None, ceiling: float | None = None) -> list[Check]:
    """Expected vs budget, worst case vs budget, worst case vs ceiling (None: not known to the caller)."""
    return [
        Check(
            "expected",
            expected,
            "budget",
            budget,
            BUDGET_SET_IN,
            "sizing warning cost.over_budget; the gate fails (cost.budget)",
        ),
        Check(
            "worst case",
            worst,
            "budget",
            budget,
            BUDGET_SET_IN,
            "sizing warning cost.worst_case_over_budget; the gate does not fail on it",
        ),
        Check("worst case", worst, "ceiling", ceiling, CEILING_SET_IN, "the gate fails above it (cost.ceiling)"),
    ]


def of_report(rep: dict, ceiling: float | None = None) -> list[Check]:
    """The checks of a sizing result (`aurora-gen report --format json`)."""
    cost = rep["cost_usd_month"]
    return checks(cost["total"], cost["worst_case"], rep["budget_usd"], ceiling)


def which_fails(found: list[Check]) -> str:
    """The story in one sentence: which threshold the cost is over, and what that does."""
    over = [c for c in found if c.over]
    if over:
        return "; ".join(f"the {c.figure} is over the {c.threshold}: {c.if_over}" for c in over)
    known = list(dict.fromkeys(c.threshold for c in found if c.known))
    text = f"within the {' and the '.join(known)}" if known else "no threshold set"
    if not any(c.known for c in found if c.threshold == "ceiling"):
        text += f"; the worst case's ceiling ({CEILING_SET_IN}) is checked by make policy"
    return text
