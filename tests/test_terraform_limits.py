"""The module's AWS numbers against the dated data file (fast: no terraform, no AWS).

modules/aurora-serverless-v2/limits.tf holds the module's copy of generator/data/aws-limits-2025-11.yaml
(local.aws_limits); the module does not read the YAML so it stays usable outside this repository. Here:

- every value of local.aws_limits equals the data file's (and the data file's date is the module's);
- no other module file writes one of those AWS numbers as a literal in code (comments and descriptions aside),
  so a validation or computation cannot bypass local.aws_limits;
- every max_connections expectation in the module's terraform tests equals generator/model/sizing.py:max_connections,
  so the module's interpolation (limits.tf) and the generator's cannot disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
import pytest
import yaml

from generator.model import sizing

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "modules" / "aurora-serverless-v2"
DATA = ROOT / "generator" / "data" / "aws-limits-2025-11.yaml"


def yaml_limits() -> dict:
    return yaml.safe_load(DATA.read_text())


def module_limits() -> dict:
    with (MODULE / "limits.tf").open() as f:
        parsed = hcl2.load(f)
    for block in parsed["locals"]:
        if "aws_limits" in block:
            return block["aws_limits"]
    raise AssertionError("limits.tf defines no local aws_limits")


def normalise(value):
    """YAML and HCL spell map keys differently (1 vs "1"): compare keys as strings, numbers as floats."""
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, bool) or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def leaves(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, path + (str(k),))
    else:
        yield path, value


def test_effective_date_matches_the_data_file():
    assert module_limits()["effective"] == str(yaml_limits()["effective"])


@pytest.mark.parametrize(
    "path, value",
    [p for p in leaves(module_limits()) if p[0] != ("effective",)],
    ids=lambda x: ".".join(x) if isinstance(x, tuple) else None,
)
def test_module_limit_equals_the_data_file(path, value):
    data = yaml_limits()
    for key in path:
        assert isinstance(data, dict), f"{'.'.join(path)}: the data file has no such key"
        data = {str(k): v for k, v in data.items()}
        assert key in data, f"{'.'.join(path)}: not in {DATA.relative_to(ROOT)}"
        data = data[key]
    assert normalise(value) == normalise(data), f"limits.tf {'.'.join(path)} = {value!r}, data file says {data!r}"


@pytest.mark.parametrize(
    "path",
    [
        "acu.max",
        "acu.step",
        "acu.min",
        "acu.max_floor",
        "acu.gib_per_acu",
        "acu.auto_pause_versions",
        "acu.seconds_until_auto_pause",
        "max_connections.documented",
        "max_connections.cap",
        "max_connections.low_min_acu_cap",
        "max_connections.low_min_acu_threshold",
        "proxy.connection_borrow_timeout_s",
        "proxy.max_connections_percent",
        "backup.retention_days",
        "backup.window_min_minutes",
    ],
)
def test_module_covers_the_limits_it_needs(path):
    node = module_limits()
    for key in path.split("."):
        assert key in node, f"limits.tf lacks {path}"
        node = node[key]


# Literals that would be one of the data file's AWS numbers written outside limits.tf.
def forbidden_literals() -> set[str]:
    data = yaml_limits()
    mc = data["max_connections"]
    numbers = {
        data["acu"]["max"],
        data["acu"]["step"],
        data["backup"]["retention_days"]["max"],
        data["proxy"]["connection_borrow_timeout_s"]["max"],
        mc["cap"],
        mc["low_min_acu_cap"],
        data["acu"]["seconds_until_auto_pause"]["max"],
        *mc["documented"].values(),
    }
    literals = {f"{n:g}" for n in numbers}
    literals |= set(data["acu"]["auto_pause_versions"].values())
    return literals | {"211.4", "262144"}  # the old straight line and the old work_mem threshold


# Not AWS limits: CloudWatch alarm periods (not the proxy's borrow timeout), the replica lag alarm's default ms.
ALLOWED = [
    re.compile(r"contains\(\[60, 300, 900, 3600\], var\.alarms\.period_seconds\)|period_seconds 60, 300, 900 or 3600"),
    re.compile(r"^\s*replica_lag_threshold_ms\s*=\s*optional\(number, 2000\)$"),
]


def code_lines(path: Path):
    """(line number, code) of a .tf file without comments, descriptions and heredocs."""
    for n, line in enumerate(path.read_text().splitlines(), 1):
        code = re.sub(r"\s(#|//).*$", "", line)
        if re.match(r"^\s*(#|//)", line) or re.match(r"^\s*description\s*=", code):
            continue
        yield n, code


def test_no_aws_number_outside_limits_tf():
    forbidden = forbidden_literals()
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(x) for x in sorted(forbidden, key=len, reverse=True)) + r")(?![\w.])"
    )
    hits = []
    for tf in sorted(MODULE.glob("*.tf")):
        if tf.name == "limits.tf":
            continue
        for n, code in code_lines(tf):
            if any(a.search(code) for a in ALLOWED):
                continue
            for m in pattern.finditer(code):
                hits.append(f"{tf.name}:{n}: {m.group(1)} in {code.strip()}")
    assert not hits, "AWS numbers belong in limits.tf (local.aws_limits):\n" + "\n".join(hits)


RUN = re.compile(r'^run "([^"]+)" \{(.*?)^\}', re.MULTILINE | re.DOTALL)
VAR = r"^\s*{name}\s*=\s*([0-9.]+)\s*$"


def max_connections_expectations():
    """(file, run, min ACU, max ACU, expected) for every run asserting output.max_connections == N."""
    out = []
    for tftest in sorted((MODULE / "tests").glob("*.tftest.hcl")):
        text = tftest.read_text()
        header = text.split("\nrun ", 1)[0]
        defaults = {}
        for name in ("min_capacity", "max_capacity"):
            m = re.search(VAR.format(name=name), header, re.MULTILINE)
            defaults[name] = float(m.group(1)) if m else None
        for run, body in RUN.findall(text):
            expected = re.search(r"output\.max_connections == ([0-9]+)", body)
            if not expected:
                continue
            values = {}
            for name in ("min_capacity", "max_capacity"):
                m = re.search(VAR.format(name=name), body, re.MULTILINE)
                values[name] = float(m.group(1)) if m else defaults[name]
            out.append((tftest.name, run, values["min_capacity"], values["max_capacity"], int(expected.group(1))))
    return out


def test_terraform_tests_cover_max_connections():
    cases = max_connections_expectations()
    assert len(cases) >= 10
    assert {(c[3], c[4]) for c in cases} >= {(2.0, 400), (24.0, 5000), (32.0, 2000)}


@pytest.mark.parametrize(
    "tftest, run, min_acu, max_acu, expected",
    max_connections_expectations(),
    ids=lambda x: x if isinstance(x, str) else None,
)
def test_module_max_connections_equals_the_generator(tftest, run, min_acu, max_acu, expected):
    assert expected == sizing.max_connections(max_acu, min_acu, yaml_limits()), (
        f"{tftest} run {run}: the module is tested for {expected}, the generator gives "
        f"{sizing.max_connections(max_acu, min_acu, yaml_limits())} (max {max_acu:g}, min {min_acu:g} ACU)"
    )
