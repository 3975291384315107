"""What `aurora-gen observe` does, in one call: read the observation, size the model, compare, recommend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.inputs.policy_limits import acu_limits
from generator.observe import compare, factors, facts, recommend
from generator.observe.observation import Observation


def observation(
    root: Path, env_name: str, env: Any, days: float, cluster_id: str | None, from_file: Path | None
) -> Observation:
    from generator.inputs.files import sizing_path
    from generator.observe import target

    cid = (
        target.checked(cluster_id)
        if cluster_id
        else target.of_environment(sizing_path(env_name, root).parent, env.environment)
    )
    if from_file is not None:
        from generator.observe import from_file as files

        return files.read(from_file, cid)
    from generator.observe import cloudwatch

    return cloudwatch.observe(cid, env.region, days, env.proxy.enabled)


def result(root: Path, env_name: str, days: float, cluster_id: str | None, from_file: Path | None) -> dict[str, Any]:
    """Observe's result: {env, cluster, source, observed, predicted, ratio, recommendation, factors, warnings, notes}."""
    from generator.inputs import data
    from generator.inputs.files import sizing_path
    from generator.model.sized import report_of, size_environment

    sized = size_environment(sizing_path(env_name, root), env_name, observed=False)
    env, rep = sized.env, sized.report
    if rep["topology"]["kind"] == "limitless":
        raise InputError(sizing_path(env_name, root), "topology", facts.LIMITLESS_NOT_OBSERVED)
    obs = observation(root, env_name, env, days, cluster_id, from_file)
    prices = data.prices(env.region)
    acu_min, acu_max = obs.scaling or (rep["acu"]["min"], rep["acu"]["max"])
    notes = list(obs.notes)
    if obs.scaling and obs.scaling != (rep["acu"]["min"], rep["acu"]["max"]):
        notes.append(
            f"the running cluster's ACU range {acu_min:g}-{acu_max:g} differs from the sizing's "
            f"{rep['acu']['min']:g}-{rep['acu']['max']:g}: the cluster's is used"
        )
    o, gaps = compare.observed(obs, acu_min, acu_max, prices["hours_per_month"])
    p = compare.predicted(rep)
    r = compare.ratios(o, p)
    warns = compare.warnings(o, p, r, gaps, acu_min, acu_max)
    codes = {w["code"] for w in warns}
    lim = acu_limits(root, env_name)
    new_min, new_max, why = recommend.acu_range(o, rep, lim, acu_min, acu_max, codes)
    stype, months, stype_why = recommend.storage_type(o["io"]["billed_million_per_month"], rep, prices)
    if (steady := recommend.steady_note(o, rep, prices)) is not None:
        notes.append(steady)
    io_at_hit = None
    if o["cache_hit_ratio"] is not None:  # the model at the observed hit ratio: the I/O factor's denominator
        at_hit = env.model_copy(
            update={"io": env.io.model_copy(update={"buffer_cache_hit_ratio": o["cache_hit_ratio"]})}
        )
        io_at_hit = report_of(at_hit)["iops"]["billed_read_million_per_month"]
    is_steady, steady_why = factors.storage_steady(o, rep, obs.created, obs.end)
    f = factors.factors(o, p, io_at_hit, is_steady)
    del o["hourly_acu"]
    return {
        "env": env_name,
        "cluster": obs.cluster,
        "source": obs.source,
        "observed": o,
        "predicted": p,
        "ratio": r,
        "recommendation": {
            "min_acu": new_min,
            "max_acu": new_max,
            "storage_type": stype,
            "storage_type_months_usd": months,
            "reason": "; ".join([*why, stype_why]),
        },
        "factors": f,
        "factors_null": factors.null_reasons(f, o, steady_why),
        "predicted_read_io_at_observed_hit_ratio": io_at_hit,
        "warnings": warns,
        "notes": notes,
        "sources": [*rep["sources"], *facts.sources()],
    }
