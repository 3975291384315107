"""aurora-gen: render each environment's terraform.tfvars and print sizing reports.

Exit codes: 0 ok, 1 `render --check` found stale files, 2 bad input (one line on stderr).
Heavy imports (pydantic, jinja2) happen inside the commands so `--help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.inputs.files import rel

EXIT_STALE = 1
EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    from generator.errors import one_line

    click.echo(one_line(f"aurora-gen: {message}", limit=None), err=True)
    sys.exit(EXIT_BAD_INPUT)


def _resolve_envs(root: Path, names: tuple[str, ...]) -> list[str]:
    from generator.inputs.files import discover_envs, sizing_path

    known = discover_envs(root)
    if not names:
        if not known:
            _fail(
                f"{root / 'envs'}: no environment found (no envs/<env>/ folder with Terraform files or a sizing.yaml)"
            )
        return known
    for name in names:
        if name not in known:
            _fail(f"{sizing_path(name, root)}: unknown environment '{name}' (known: {', '.join(known) or 'none'})")
    return list(dict.fromkeys(names))


def _size(path: Path, env_name: str | None = None):
    from generator.model.sized import size_environment

    return size_environment(path, env_name)  # (env, result)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,  # checked: one line
    help="Repository root holding envs/.",
)
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    """Size MisterSmith's Aurora Serverless v2 database and render its Terraform variables."""
    ctx.obj = root


@main.command()
@click.option("--env", "envs", multiple=True, metavar="ENV", help="Environment to render (repeatable; default: all).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing the tfvars files that are stale.")
@click.pass_obj
def render(root: Path, envs: tuple[str, ...], check: bool) -> None:
    """Render envs/<env>/terraform.tfvars from envs/<env>/sizing.yaml."""
    from generator.errors import InputError
    from generator.inputs.files import sizing_path
    from generator.outputs.freshness import check_from_cache, current_bytes, remember
    from generator.outputs.writer import clean_temp_files, write_all

    names = _resolve_envs(root, envs)
    if (known := check_from_cache(root, names)) is not None:  # nothing to size: the cache knows every file
        if check:
            _report_stale(root, known)
        if not known:
            for name in names:
                clean_temp_files(sizing_path(name, root).parent)
            click.echo(f"rendered {len(names)} environment(s), 0 file(s) changed")
            return
    from generator.model.verdicts import render_blocker
    from generator.outputs import render_summary
    from generator.outputs.render import TFVARS_FILE, render_tfvars

    rendered: list[tuple[Path, str]] = []
    stale: list[Path] = []
    news: list[str] = []  # each changed file and the warnings it gained or lost
    try:
        # Everything is sized and rendered before anything is written: one bad file writes nothing.
        for name in names:
            path = sizing_path(name, root)
            env, rep = _size(path, name)
            blocker = render_blocker(env, rep)
            if blocker is not None:
                raise InputError(path, *blocker)
            text = render_tfvars(env, rep, rel(path, root))
            target = path.parent / TFVARS_FILE
            rendered.append((target, text))
            remember(path, name, root, text)
            if (before := current_bytes(target)) != text.encode("utf-8"):
                stale.append(target)
                news += render_summary.lines(rel(target, root), before, rep)
    except InputError as exc:
        _fail(exc.line())
    if check:
        _report_stale(root, stale)
    try:
        for p, _ in rendered:
            clean_temp_files(p.parent)
        write_all([(p, text) for p, text in rendered if p in stale])
    except OSError as exc:
        where = exc.filename or root / "envs"
        _fail(f"{where}: cannot write: {exc.strerror or exc} (nothing was written)")
    for line in news:
        click.echo(line)
    click.echo(f"rendered {len(rendered)} environment(s), {len(stale)} file(s) changed")


def _report_stale(root: Path, stale: list[Path]) -> None:
    for p in stale:
        click.echo(f"stale: {rel(p, root)} (run: aurora-gen render)", err=True)
    sys.exit(EXIT_STALE if stale else 0)


@main.command()
@click.option("--env", "env_name", metavar="ENV", help="Environment under envs/.")
@click.option(
    "--sizing",
    "sizing_file",
    type=click.Path(path_type=Path),  # read_text refuses non-files: one line
    help="A sizing.yaml file.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.option("--design", is_flag=True, help="Also the design's figures beside the model's (JSON always has them).")
@click.pass_obj
def report(root: Path, env_name: str | None, sizing_file: Path | None, fmt: str, design: bool) -> None:
    """Print the sizing report of one environment: warnings first, then the headline figures and the cost."""
    from generator.errors import InputError
    from generator.inputs.files import sizing_path
    from generator.outputs import report as reports

    if (env_name is None) == (sizing_file is None):
        _fail("give exactly one of --env ENV or --sizing FILE")
    try:
        if env_name is not None:
            _resolve_envs(root, (env_name,))
            _, rep = _size(sizing_path(env_name, root), env_name)
        else:
            _, rep = _size(sizing_file)
    except InputError as exc:
        _fail(exc.line())
    click.echo(reports.FORMATS[fmt](rep, design), nl=False)


@main.command()
@click.option("--env", "env_name", required=True, metavar="ENV", help="Environment under envs/.")
@click.option("--to", "to", metavar="AGENTS", help="Largest fleet to size (default: 100 x today's agents).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.pass_obj
def grow(root: Path, env_name: str, to: str | None, fmt: str) -> None:
    """Size an environment over a growing fleet: the figures at each size and where each threshold is crossed."""
    from generator.errors import InputError
    from generator.growth import grow as growth
    from generator.growth import output
    from generator.inputs.files import sizing_path

    _resolve_envs(root, (env_name,))
    path = sizing_path(env_name, root)
    try:
        sized = _size(path, env_name)
        rep = growth.grow(sized, root, growth.parse_to(to, sized.env.agents, path), env_name)
    except InputError as exc:
        _fail(exc.line())
    click.echo(output.FORMATS[fmt](rep), nl=False)


@main.command()
@click.option(
    "--dsn",
    metavar="URL",
    help="Measure this PostgreSQL server (in a schema of its own, dropped at the "
    "end) instead of a throw-away embedded one.",
)
@click.option(
    "--agents",
    type=click.IntRange(1, 100_000),
    default=100,
    show_default=True,
    help="Agents whose rows are interleaved.",
)
@click.option(
    "--rows",
    type=click.IntRange(120, 10_000_000),
    default=20_000,
    show_default=True,
    help="Live rows per table at retention (the run writes 1.5x as many).",
)
@click.option(
    "--repeat",
    type=click.IntRange(1, 20),
    default=None,  # calibrate-settings.yaml repeat_default
    help="Rounds of the whole workload; CPU is their median [default: 3, generator/data/calibrate-settings.yaml].",
)
@click.option(
    "--sample",
    "sample_file",
    type=click.Path(path_type=Path),  # checked by generator/calibration/sample.py: one line
    default=None,
    help='A team\'s own rows instead of the synthetic payload: JSON lines {"table": ..., "row": {...}}.',
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,  # checked by check_writable: one line
    help="Calibration file to write [default: the one the model reads, generator/data/calibration/].",
)
def calibrate(
    dsn: str | None, agents: int, rows: int, repeat: int | None, sample_file: Path | None, out: Path | None
) -> None:
    """Measure the design's tables on a real PostgreSQL and write the dated calibration file."""
    from generator.calibration import calibrate as cal
    from generator.calibration import sample as samples
    from generator.calibration import workload
    from generator.errors import InputError
    from generator.inputs import data
    from generator.outputs.writer import check_writable, write_all

    target = out if out is not None else data.DATA / data.CALIBRATION_FILE
    tables, settings = data.defaults()["tables"], data.calibrate_settings()
    row_bytes = {k: t["row_bytes"] for k, t in tables.items()}
    sample = None
    try:
        with cal.command_signals():
            if sample_file is not None:
                sample = samples.load(sample_file, settings["sample"])
                fixed = {spec.table: spec.fixed_bytes for spec in workload.SPECS.values()}
                row_bytes = {k: samples.payload_bytes(r) + fixed[k] for k, r in sample.items()}
            check_writable(target)  # before minutes of measuring, not after
            doc = cal.calibrate(
                dsn,
                agents,
                rows,
                rows,  # as many reads as live rows: a round's CPU of the quickest reads is still ~0.2 s
                row_bytes,
                {k: t["retention_days"] for k, t in tables.items()},
                repeat or settings["repeat_default"],
                settings["max_cpu_spread"],
                sample,
            )
            with cal.uninterrupted_finish():
                write_all([(target, cal.to_yaml(doc))])
                click.echo(f"calibrated in {doc['run']['seconds']:g} s ({doc['run']['rounds']} rounds): {target}")
    except InputError as exc:
        _fail(exc.line())
    except cal.CalibrationError as exc:
        _fail(f"calibrate: {exc}")
    except OSError as exc:
        _fail(f"{target}: cannot write: {exc.strerror or exc}")


@main.command("calibration-agreement")
@click.argument("file_a", metavar="A", type=click.Path(path_type=Path))
@click.argument("file_b", metavar="B", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def calibration_agreement(file_a: Path, file_b: Path, fmt: str) -> None:
    """Do two calibration files agree? CPU within max_cpu_spread, WAL within wal_tolerance, storage identical.

    Exit 0 when they agree, 1 when they do not, 2 on a file that is no calibration."""
    import json

    from generator.calibration import agreement
    from generator.errors import InputError
    from generator.inputs import data

    try:
        docs = [agreement.load(path) for path in (file_a, file_b)]
    except InputError as exc:
        _fail(exc.line())
    settings = data.calibrate_settings()
    result = agreement.compare(*docs, settings["max_cpu_spread"], settings["wal_tolerance"])
    click.echo(json.dumps(result, indent=2) if fmt == "json" else agreement.table(result, str(file_a), str(file_b)))
    sys.exit(0 if result["agree"] else EXIT_STALE)


@main.command()
@click.option("--base", "ref", required=True, metavar="REF", help="Git ref to compare with, e.g. origin/main.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.pass_obj
def diff(root: Path, ref: str, fmt: str) -> None:
    """Each environment's sizing at REF against the working tree (read from git, no checkout); exit 0 if it ran."""
    from generator.errors import InputError
    from generator.inputs.git_ref import DiffError
    from generator.outputs import diff as diffs

    try:
        doc = diffs.run(root, ref)
    except (InputError, DiffError) as exc:
        _fail(exc.line() if isinstance(exc, InputError) else f"diff: {exc}")
    click.echo(diffs.FORMATS[fmt](doc), nl=False)


@main.command()
@click.option("--env", "env_name", required=True, metavar="ENV", help="Environment under envs/.")
@click.option(
    "--days", type=click.FloatRange(min=1, max=455), default=14, show_default=True, help="Window: the last N days."
)
@click.option("--cluster-id", metavar="ID", help="The cluster to read [default: the one the environment's root names].")
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path),  # checked by generator/observe/from_file.py: one line
    help="Read `aws cloudwatch get-metric-data` JSON from FILE instead of AWS (no AWS call).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.option(
    "--write", is_flag=True, help="Also write envs/<env>/observed.yaml (window, figures, factors) for the model."
)
@click.pass_obj
def observe(
    root: Path, env_name: str, days: float, cluster_id: str | None, from_file: Path | None, fmt: str, write: bool
) -> None:
    """The running cluster's CloudWatch metrics beside the model's prediction, with what to set now."""
    from generator.errors import InputError
    from generator.inputs.files import sizing_path
    from generator.observe import formats, observed_write
    from generator.observe.run import result

    _resolve_envs(root, (env_name,))
    try:
        res = result(root, env_name, days, cluster_id, from_file)
    except InputError as exc:
        _fail(exc.line())
    if write:
        env_dir = sizing_path(env_name, root).parent
        try:
            written = observed_write.write(env_dir, res)
        except OSError as exc:
            _fail(f"{exc.filename or env_dir}: cannot write: {exc.strerror or exc} (nothing was written)")
        res["written"] = rel(written, root)
    click.echo(formats.FORMATS[fmt](res), nl=False)
    if write and fmt != "json":
        click.echo(f"wrote {res['written']}")


@main.command("report-html")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("reports"),
    show_default=True,  # checked: one line
    help="Folder for sizing.html and the chart PNGs.",
)
@click.pass_obj
def report_html(root: Path, out: Path) -> None:
    """Charts of every environment and the self-contained page sizing.html that shows them (matplotlib)."""
    from generator.errors import InputError
    from generator.outputs import report_html as page

    _resolve_envs(root, ())
    if out.exists() and not out.is_dir():
        _fail(f"{out}: cannot write: not a folder (nothing was written)")
    try:
        written = page.write(root, out)
    except InputError as exc:
        _fail(exc.line())
    except OSError as exc:
        _fail(f"{exc.filename or out}: cannot write: {exc.strerror or exc} (nothing was written)")
    click.echo(f"wrote {', '.join(p.as_posix() for p in written)}")


if __name__ == "__main__":  # pragma: no cover
    main()
