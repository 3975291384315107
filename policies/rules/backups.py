"""Backups: retention, backup window length and overlap, snapshot schedule, DR copy, deletion
protection and final snapshot."""

from __future__ import annotations

import re

from generator.inputs import windows
from policies.results import AWS_REL, LIMITS_NOTE, fmt, limitless_facts
from policies.rules.context import Ctx
from policies.rules.shard_group import is_limitless

NOT_SUPPORTED = limitless_facts()["sources"]["requirements"]  # AWS's "Features not supported" list


def check_backups(ctx: Ctx) -> None:
    before = ctx.count()
    b = ctx.lim["backup"]
    aws_b = ctx.aws["backup"]
    retention = ctx.number("backup_retention_period", "backups.retention")
    need = b["retention_days_min"]
    s = ctx.cfg["backup_retention_period"]
    if retention is not None:
        lo, hi = aws_b["retention_days"]["min"], aws_b["retention_days"]["max"]
        if not lo <= retention <= hi:
            ctx.invalid(
                "backup_retention_period",
                "backups.retention",
                f"{s.shown()} is outside AWS's {lo}..{hi} days (AWS, {AWS_REL})",
            )
        if retention < need:
            ctx.fail(s, "backups.retention", f"{s.shown()} is below the {ctx.env} minimum {need} days {LIMITS_NOTE}")
    ctx.fact("backup retention", f"{fmt(retention)} days", f">= {need} days", ctx.count() == before)

    mark = ctx.count()
    bw, mw = ctx.cfg["preferred_backup_window"], ctx.cfg["preferred_maintenance_window"]
    min_minutes = b["window_min_minutes"]
    length = b_ok = m_ok = None
    if bw.is_set:
        try:
            windows.backup_window_minutes(str(bw.value))
            if not re.fullmatch(r"\d{2}:\d{2}-\d{2}:\d{2}", str(bw.value)):
                raise ValueError
            length = windows.window_length_minutes(bw.value)
            b_ok = True
        except (ValueError, IndexError):
            ctx.fail(bw, "backups.window", f"{bw.shown()} is not hh24:mi-hh24:mi (UTC)")
    else:
        ctx.fail(bw, "backups.window", "preferred_backup_window is not set")
    if mw.is_set:
        try:
            windows.maintenance_window_minutes(str(mw.value))
            m_ok = True
        except (ValueError, IndexError):
            ctx.fail(mw, "backups.window", f"{mw.shown()} is not ddd:hh24:mi-ddd:hh24:mi (UTC)")
    if length is not None and length < min_minutes:
        ctx.fail(
            bw,
            "backups.window",
            f"{bw.shown()} lasts {length} minutes, below the minimum {min_minutes} (AWS, {AWS_REL})",
        )
    if b_ok and m_ok and b["window_clear_of_maintenance"] and windows.windows_overlap(bw.value, mw.value):
        where = f"{mw.file}:{mw.line}" if mw.line else mw.file
        ctx.fail(bw, "backups.overlap", f"{bw.shown()} overlaps {mw.shown()} ({where})")
    ctx.fact(
        "backup window",
        f"{fmt(bw.value)} ({length} min), maintenance {fmt(mw.value)}",
        f">= {min_minutes} min, no overlap",
        ctx.count() == mark,
    )

    mark = ctx.count()
    want = b["snapshots"]
    got = []
    for label, key in (
        ("daily", "snapshot_schedule.daily_retention_days"),
        ("weekly", "snapshot_schedule.weekly_retention_weeks"),
        ("monthly", "snapshot_schedule.monthly_retention_months"),
    ):
        value = ctx.number(key, "backups.snapshots")
        got.append(fmt(value))
        if value is not None and value < want[label]:
            s = ctx.cfg[key]
            ctx.fail(
                s,
                "backups.snapshots",
                f"{s.shown()} is below the {label} snapshots required, {want[label]} {LIMITS_NOTE}",
            )
    if is_limitless(ctx) and any(want.values()):
        # The module leaves a Limitless cluster out of its AWS Backup plan: the schedule above takes nothing.
        mode = ctx.cfg["cluster_scalability_type"]
        ctx.fail(
            mode,
            "backups.snapshots",
            f"{mode.shown()}: AWS Backup is not supported in Aurora PostgreSQL Limitless Database "
            f"({NOT_SUPPORTED}), so no scheduled snapshot is taken and the {ctx.env} schedule "
            f"({'/'.join(str(want[k]) for k in ('daily', 'weekly', 'monthly'))}) cannot be met: only the automated "
            f"backups of backup_retention_period remain {LIMITS_NOTE}",
        )
    ctx.fact(
        "snapshots (daily/weekly/monthly)",
        "/".join(got),
        ">= " + "/".join(str(want[k]) for k in ("daily", "weekly", "monthly")),
        ctx.count() == mark,
    )

    mark = ctx.count()
    copy = ctx.cfg["backup_cross_region_copy"]
    if b["cross_region_copy_required"] and copy.value is not True:
        ctx.fail(
            copy,
            "backups.cross_region",
            f"{copy.shown()}: {ctx.env} must copy every snapshot to the DR region {LIMITS_NOTE}"
            + (
                f"; AWS Backup, which copies them, is not supported in Limitless ({NOT_SUPPORTED})"
                if is_limitless(ctx)
                else ""
            ),
        )
    if copy.value is True:
        dr, region = ctx.cfg["dr_region"], ctx.cfg["aws_region"]
        if dr.is_set and region.is_set and dr.value == region.value:
            ctx.fail(
                dr,
                "backups.cross_region",
                f"{dr.shown()} is the primary region: a cross-region copy needs another region",
            )
    dp = ctx.cfg["deletion_protection"]
    if b["deletion_protection_required"] and dp.value is not True:
        ctx.fail(
            dp, "backups.deletion_protection", f"{dp.shown()}: {ctx.env} must keep deletion protection on {LIMITS_NOTE}"
        )
    skip = ctx.cfg["skip_final_snapshot"]
    if b["final_snapshot_required"] and skip.value is not False:
        ctx.fail(
            skip,
            "backups.final_snapshot",
            f"{skip.shown()}: {ctx.env} must take a final snapshot on delete {LIMITS_NOTE}",
        )
    ctx.fact(
        "DR copy / deletion protection / final snapshot",
        f"{fmt(copy.value)} / {fmt(dp.value)} / {fmt(not skip.value if isinstance(skip.value, bool) else None)}",
        "/".join(
            "required" if b[k] else "optional"
            for k in ("cross_region_copy_required", "deletion_protection_required", "final_snapshot_required")
        ),
        ctx.count() == mark,
    )
