"""Every hostile input class through the CLI: one line naming the file (and field), exit 2, no traceback,
nothing written -- and nothing that hangs, eats memory or crashes the interpreter.

Each sizing.yaml below replaces envs/prod/sizing.yaml in a copy of the environments; render, render
--check and report run on it. The inputs that once crashed the interpreter (deep nesting) run in a
fresh process, so a segmentation fault would fail the test instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import REPO

PROD = (REPO / "envs/prod/sizing.yaml").read_text()


def snapshot(root: Path) -> dict[str, object]:
    """Files and links under root: bytes of the small regular files, the target of links, the size of big ones."""
    out: dict[str, object] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_file():
            out[rel] = p.read_bytes() if p.stat().st_size < 2_000_000 else ("big", p.stat().st_size)
        elif not p.is_dir():
            out[rel] = "special"
    return out


def with_setting(text: str) -> bytes:
    """The committed prod file with one YAML fragment merged over it (mappings merge)."""
    base = yaml.safe_load(PROD)
    extra = yaml.safe_load(text)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return yaml.safe_dump(base).encode()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link(target: str):
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def _sparse(size: int):
    def make(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.truncate(size)  # 108 MB of nothing, written in no time

    return make


# (id, content: bytes or a function making the file, text the one line must hold after "envs/prod/sizing.yaml: ")
CASES = [
    ("non-utf8", b"agents: 1\xff\n", "not UTF-8 text: byte 0xff at line 1, column 10"),
    (
        "latin1-name",
        with_setting("network: {vpc_name: x}").replace(b"vpc_name: x", b"vpc_name: caf\xe9"),
        "not UTF-8 text: byte 0xe9",
    ),
    ("list-key", b"? [a, b]\n: 1\n", "malformed YAML at line 1, column 3: a key is a list, not text"),
    ("mapping-key", b"? {a: 1}\n: 1\n", "a key is a mapping, not text"),
    ("number-key", b"1: 2\n", "a key is 1, not text"),
    (
        "400-digit agents",
        b"agents: " + b"9" * 400 + b"\n",
        "agents: a 400-digit number is above the largest value accepted",
    ),
    ("5000-digit agents", b"agents: " + b"9" * 5000 + b"\n", "malformed YAML: a number too large to read"),
    (
        "1e308 reads",
        with_setting("io: {reads_per_agent_per_second: 1.0e+308}"),
        "io.reads_per_agent_per_second: 1e+308 is above the largest value accepted, 1e+15",
    ),
    (
        "nan",
        with_setting("io: {reads_per_agent_per_second: .nan}"),
        "io.reads_per_agent_per_second: nan is not a finite number",
    ),
    (
        "flow nesting 500",
        b"agents: " + b"[" * 500 + b"]" * 500 + b"\n",
        "nested 501 levels deep, above the limit of 32",
    ),
    ("block nesting 200", "\n".join(" " * i + "a:" for i in range(200)).encode() + b" 1\n", "nested 200 levels deep"),
    ("dash nesting", b"agents: \n" + b"- " * 300 + b"x\n", "levels deep, above the limit of 32"),
    ("recursive alias", b"agents: &a [*a]\n", "nested more than 32 levels deep (a recursive alias?)"),
    (
        "billion laughs",
        b"a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
        "holds more than 20,000 values",
    ),
    ("binary tag", b"agents: !!binary aGVsbG8=\n", "agents: a YAML bytes is not a setting value"),
    ("date as text", with_setting("region: 2025-11-01"), "region: must be text (got 2025-11-01)"),
    ("control characters", b"agents: many\x1b[2J\n", "control characters are not allowed"),
    ("long value", with_setting("agents: " + "y" * 300), "agents: must be a whole number (got 'yyyy"),
    ("dev/zero", _link("/dev/zero"), "is a device, not a regular file"),
    ("fifo", _fifo, "is a FIFO, not a regular file"),
    ("directory", lambda p: p.mkdir(), "is a directory, not a regular file"),
    ("108 MB", _sparse(108 * 2**20), "is 113,246,208 bytes, above the 1,000,000-byte limit"),
    (
        "broken link",
        _link("nowhere.yaml"),
        "is a broken link: envs/prod/ is an environment root and needs its sizing.yaml",
    ),
    ("missing", lambda p: None, "file not found: envs/prod/ is an environment root and needs its sizing.yaml"),
    (
        "pydantic wording",
        with_setting("connection_pools: {worker: {min: 20, max: 10, replicas: 2}}"),
        "connection_pools.worker: min (20) is above max (10)",
    ),
    (
        "literal",
        with_setting("storage_type: gp3"),
        "storage_type: must be one of auto, aurora or aurora-iopt1 (got 'gp3')",
    ),
    (
        "hit-ratio band reversed",
        with_setting("io: {hit_ratio_band: {low: 0.99, high: 0.9}}"),
        "io.hit_ratio_band: low (0.99) is above high (0.9)",
    ),
    ("hit ratio above 1", with_setting("io: {buffer_cache_hit_ratio: 1.5}"), "io.buffer_cache_hit_ratio: must be <= 1"),
    (
        "quoted hit ratio",
        with_setting("io: {buffer_cache_hit_ratio: '0.99'}"),
        "io.buffer_cache_hit_ratio: must be a number (got '0.99')",
    ),
    ("no cache share", with_setting("io: {cache_share_of_memory: 0}"), "io.cache_share_of_memory: must be > 0"),
    ("log flush as text", with_setting("io: {log_flush_ms: fast}"), "io.log_flush_ms: must be a number (got 'fast')"),
    (
        "ipv6 in allowed_cidr_blocks",
        with_setting("network: {allowed_cidr_blocks: ['fd00::/8']}"),
        "network.allowed_cidr_blocks[0]: fd00::/8 is an IPv6 block: only IPv4 blocks are accepted here",
    ),
    # The regions pick price files: a region without one names the known ones.
    (
        "region without prices",
        with_setting("region: ca-central-1"),
        "region: ca-central-1 has no price file (known regions: ap-northeast-1, ap-southeast-2, eu-central-1, "
        "eu-west-1, us-east-1, us-west-2)",
    ),
    ("dr_region without prices", with_setting("dr_region: sa-east-1"), "dr_region: sa-east-1 has no price file"),
    ("dr_region is the region", with_setting("dr_region: us-east-1"), "dr_region: us-east-1 is the primary region"),
    ("region malformed", with_setting("region: Virginia"), "region: 'Virginia' does not have the expected form"),
    (
        "copy schedule",
        with_setting("backup: {cross_region_copy: hourly}"),
        "backup.cross_region_copy: must be one of daily, weekly, monthly or none (got 'hourly')",
    ),
    (
        "savings plan both",
        with_setting("savings_plan: {coverage: 0.5, commitment_usd_per_hour: 1}"),
        "savings_plan: give exactly one of commitment_usd_per_hour and coverage",
    ),
    ("savings plan neither", with_setting("savings_plan: {}"), "savings_plan: give exactly one of"),
    ("savings plan coverage above 1", with_setting("savings_plan: {coverage: 1.5}"), "savings_plan.coverage:"),
    ("savings plan coverage quoted", with_setting("savings_plan: {coverage: '0.5'}"), "savings_plan.coverage:"),
    (
        "savings plan commitment negative",
        with_setting("savings_plan: {commitment_usd_per_hour: -1}"),
        "savings_plan.commitment_usd_per_hour:",
    ),
    ("savings plan unknown key", with_setting("savings_plan: {term_years: 3}"), "savings_plan.term_years:"),
    ("savings plan a number", with_setting("savings_plan: 0.35"), "savings_plan:"),
    # issue 14: the topology and the Limitless settings (a load past one writer under `single` is a render refusal,
    # as a peak above max ACU is: tests/test_limitless.py)
    ("topology unknown", with_setting("topology: sharded"), "topology: must be one of auto, single or limitless"),
    ("topology a list", with_setting("topology: [auto]"), "topology:"),
    ("topology null", with_setting("topology: null"), "topology:"),
    ("redundancy 3", with_setting("limitless: {compute_redundancy: 3}"), "limitless.compute_redundancy:"),
    ("redundancy -1", with_setting("limitless: {compute_redundancy: -1}"), "limitless.compute_redundancy:"),
    ("redundancy quoted", with_setting("limitless: {compute_redundancy: '1'}"), "limitless.compute_redundancy:"),
    ("redundancy a switch", with_setting("limitless: {compute_redundancy: true}"), "must be 0, 1 or 2 standbys"),
    ("redundancy 1.0e400", with_setting("limitless: {compute_redundancy: 1.0e+400}"), "limitless.compute_redundancy"),
    ("limitless unknown key", with_setting("limitless: {shard_key: tenant}"), "limitless.shard_key: unknown key"),
    ("limitless a number", with_setting("limitless: 2"), "limitless: must be a mapping"),
]


def place(root: Path, content) -> Path:
    path = root / "envs/prod/sizing.yaml"
    path.unlink()
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        content(path)
    return path


def run(root: Path, *args: str):
    return CliRunner(mix_stderr=False).invoke(main, ["--root", str(root), *args])


@pytest.mark.parametrize("content,text", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_sizing_is_one_line_exit_2_nothing_written(repo_copy, content, text):
    place(repo_copy, content)
    (repo_copy / "envs/dev/terraform.tfvars").write_text("# stale, must survive\n")
    before = snapshot(repo_copy)
    for args in (["render"], ["render", "--check"], ["report", "--env", "prod"]):
        started = time.perf_counter()
        result = run(repo_copy, *args)
        assert time.perf_counter() - started < 5, "bounded inputs are refused fast"
        assert result.exit_code == 2, (args, result.stdout, result.stderr, result.exception)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"aurora-gen: {repo_copy}/envs/prod/sizing.yaml: "), lines[0]
        assert text in lines[0], lines[0]
        assert len(lines[0]) < 400 and "\x1b" not in lines[0]
        assert "Traceback" not in result.stderr + result.stdout and "Input should" not in lines[0]
        assert "Value error" not in lines[0] and "datetime" not in lines[0]
    assert snapshot(repo_copy) == before


@pytest.mark.parametrize(
    "text",
    [b"agents: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", b"agents:\n" + b"- " * 50_000 + b"x\n"],
    ids=["flow", "block"],
)
def test_50000_levels_in_a_fresh_process(repo_copy, text):
    """Once a segmentation fault with no message: now refused before libyaml sees it."""
    place(repo_copy, text)
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(repo_copy), "render"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc
    assert proc.stderr.count("\n") == 1 and "levels deep, above the limit of 32" in proc.stderr


def test_bom_is_accepted(repo_copy):
    path = repo_copy / "envs/prod/sizing.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run(repo_copy, "render", "--check").exit_code == 0


def test_a_root_without_sizing_is_an_error_not_skipped(repo_copy):
    """envs/qa holds Terraform files but no sizing.yaml: every command says so instead of sizing 3 of 4."""
    (repo_copy / "envs/qa").mkdir()
    (repo_copy / "envs/qa/main.tf").write_text("# a root\n")
    before = snapshot(repo_copy)
    for args in (["render"], ["render", "--check"], ["report", "--env", "qa"]):
        result = run(repo_copy, *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stderr.strip() == (
            f"aurora-gen: {repo_copy}/envs/qa/sizing.yaml: file not found: envs/qa/ is an environment root "
            "and needs its sizing.yaml (the tfvars is generated from it)"
        )
    assert snapshot(repo_copy) == before


def test_hidden_and_unrelated_folders_are_not_environments(repo_copy):
    (repo_copy / "envs/.terraform").mkdir()
    (repo_copy / "envs/notes").mkdir()
    assert run(repo_copy, "render", "--check").exit_code == 0


def test_unwritable_target_writes_nothing(repo_copy):
    """A tfvars that cannot be replaced (here a folder in its place; as root, permissions do not stop writes):
    one line, exit 2, and the other environments' stale files are not written either."""
    (repo_copy / "envs/dev/terraform.tfvars").write_text("# stale\n")
    prod = repo_copy / "envs/prod/terraform.tfvars"
    prod.unlink()
    prod.mkdir()
    before = snapshot(repo_copy)
    result = run(repo_copy, "render")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"aurora-gen: {prod}: is not a regular file: render cannot write the tfvars here")
    assert snapshot(repo_copy) == before


def test_a_folder_that_refuses_writes_changes_nothing(repo_copy, monkeypatch):
    """Every file is staged before any is replaced: when the second folder refuses the temporary file
    (PermissionError, as for an unwritable envs/<env>/), the first target is untouched and no temporary
    file is left; the CLI prints one line naming the folder, exit 2. (Tests run as root, whom permissions
    do not stop, so the refusal is simulated at the one place files are created.)"""
    import tempfile

    from generator.outputs import writer

    for env in ("dev", "prod"):
        (repo_copy / "envs" / env / "terraform.tfvars").write_text("# stale\n")
    before = snapshot(repo_copy)
    real = tempfile.mkstemp

    def refuse_prod(*args, **kwargs):
        if str(kwargs.get("dir", "")).endswith("envs/prod"):
            raise PermissionError(13, "Permission denied", str(kwargs["dir"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(writer.tempfile, "mkstemp", refuse_prod)
    result = run(repo_copy, "render")
    assert result.exit_code == 2, result.stderr
    assert (
        result.stderr.strip()
        == f"aurora-gen: {repo_copy}/envs/prod: cannot write: Permission denied (nothing was written)"
    )
    assert snapshot(repo_copy) == before


def test_a_killed_render_leaves_nothing_for_long(repo_copy):
    """Temporary files of an interrupted write are removed by the next render (and .gitignore covers them)."""
    old = repo_copy / "envs/prod/.terraform.tfvars.abc123.tmp"
    young = repo_copy / "envs/prod/.terraform.tfvars.def456.tmp"
    old.write_text("half a file")
    young.write_text("a render running right now")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert (
        run(repo_copy, "render", "--check").exit_code == 0 and old.exists()
    )  # --check writes nothing, removes nothing
    assert run(repo_copy, "render").exit_code == 0
    assert not old.exists() and young.exists()
    ignored = subprocess.run(["git", "check-ignore", "-q", "envs/prod/.terraform.tfvars.abc123.tmp"], cwd=REPO)
    assert ignored.returncode == 0, ".gitignore does not cover render's temporary files"


@pytest.mark.parametrize("where", ["directory", "fifo", "loop"])
def test_report_sizing_at_an_odd_file_is_one_line(tmp_path, where):
    """`report --sizing` at a directory, a FIFO or a symlink loop: one line naming it, exit 2 (a directory was
    click's three-line usage error)."""
    target = tmp_path / "s.yaml"
    if where == "directory":
        target.mkdir()
    elif where == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(target)
    result = run(REPO, "report", "--sizing", str(target))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aurora-gen: {target}: "), result.stderr


def test_a_root_that_is_a_file_is_one_line(tmp_path):
    """--root at a file: one line naming it, exit 2 (was click's three-line usage error)."""
    (tmp_path / "f").write_text("x")
    result = run(tmp_path / "f", "render")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aurora-gen: {tmp_path / 'f'}/envs: no environment found"), lines


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_or_32_text_is_named_as_such(tmp_path, encoding):
    """Windows editors save "Unicode" as UTF-16 with a byte-order mark: say so and how to fix it, not only
    'byte 0xff at line 1, column 1'."""
    path = tmp_path / "sizing.yaml"
    text = (REPO / "envs/dev/sizing.yaml").read_text()
    path.write_bytes(text.encode(encoding) if encoding != "utf-16-be" else b"\xfe\xff" + text.encode(encoding))
    result = run(REPO, "report", "--sizing", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"aurora-gen: {path}: is {encoding.upper()[:6]} text (byte-order mark): save it as UTF-8\n"
