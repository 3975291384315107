"""What every rule gets: the configuration, the environment's limits, AWS's limits and prices, and where
to report. A value reported as unusable is remembered, so the rules computed from it wait (one report,
no figures made of a bad input)."""

from __future__ import annotations

from collections.abc import Mapping

from policies.results import LIMITS_REL, Config, EnvResult, Fact, Setting, Violation, is_number


class Ctx:
    def __init__(self, cfg: Config, lim: Mapping, aws: Mapping, prices: Mapping, result: EnvResult) -> None:
        self.cfg, self.lim, self.aws, self.prices, self.result = cfg, lim, aws, prices, result
        self.env = cfg.env

    def fail(
        self, setting: Setting | None, rule: str, message: str, file: str | None = None, line: int | None = None
    ) -> None:
        if setting is not None and self.cfg.is_invalid(setting.name):
            return  # reported once already, as unusable: nothing computed from it is reported
        f = file or (setting.file if setting else LIMITS_REL)
        ln = line if file else (setting.line if setting else None)
        self.result.violations.append(Violation(self.env, f, ln, rule, message))

    def fact(self, topic: str, value: str, limit: str, ok: bool) -> None:
        self.result.facts.append(Fact(topic, value, limit, ok))

    def invalid(self, key: str, rule: str, message: str) -> None:
        """Report the value of `key` as unusable (AWS would refuse it): the rules computed from it wait."""
        self.fail(self.cfg[key], rule, message)
        self.cfg.invalid.add(key)

    def usable(self, *keys: str) -> bool:
        """None of `keys` was reported unusable: a rule computed from them may run."""
        return not any(self.cfg.is_invalid(k) for k in keys)

    def number(self, key: str, rule: str, required: bool = True) -> float | None:
        s = self.cfg[key]
        if self.cfg.is_invalid(key):
            return None  # reported once already (type, expression, AWS range)
        if not s.is_set:
            if required:
                self.fail(s, rule, f"{key} is not set: the rule cannot be checked")
            return None
        if not is_number(s.value):
            self.fail(s, rule, f"{s.shown()} is not a number")
            self.cfg.invalid.add(key)
            return None
        return s.value

    def flag(self, key: str) -> bool | None:
        s = self.cfg[key]
        return s.value if isinstance(s.value, bool) else None

    def count(self) -> int:
        return len(self.result.violations)
