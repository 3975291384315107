"""The Terraform runner's helpers as CI runs them: the moto emulator (scripts/moto_emulator.py), tf-run.sh's ENV
names and emulator failures, and the deploy workflow's backend writer (scripts/ci-backend.sh).

Split from test_ci_scripts.py (over 400 lines).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_ci_scripts import ROOT, write

# ---------------------------------------------------------------------------
# The moto emulator (scripts/moto_emulator.py): what it leaves running, and what it must never touch
# ---------------------------------------------------------------------------
EMULATOR = ROOT / "scripts" / "moto_emulator.py"


def emulator(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOTO_STATE_DIR": str(state)}
    return subprocess.run(
        [sys.executable, str(EMULATOR), *args], capture_output=True, text=True, check=False, env=env, timeout=60
    )


def alive(pid: int) -> bool:
    """Running (a zombie, killed but not yet reaped by its parent, counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def test_stop_never_signals_a_recorded_pid_that_is_not_moto(tmp_path: Path) -> None:
    """The server died and its pid now runs something else (a reused pid): stop forgets it, kills nothing."""
    other = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        write(tmp_path / "server.pid", str(other.pid))
        write(tmp_path / "server.port", "1")
        for command in ("status", "stop"):
            write(tmp_path / "server.pid", str(other.pid))
            r = emulator(tmp_path, command)
            assert r.returncode == (1 if command == "status" else 0), r.stderr
            assert "Traceback" not in r.stderr
            assert alive(other.pid), f"`moto_emulator.py {command}` killed an unrelated process"
            assert not (tmp_path / "server.pid").exists()
    finally:
        other.kill()
        other.wait()


def test_a_hung_server_is_stopped_not_forgotten(tmp_path: Path) -> None:
    """A server alive but not answering (here: SIGSTOP) is ended by the next status/start, not left behind."""
    r = emulator(tmp_path, "start")
    assert r.returncode == 0, r.stderr
    pid = int((tmp_path / "server.pid").read_text())
    try:
        os.kill(pid, signal.SIGSTOP)
        assert emulator(tmp_path, "status").returncode == 1
        assert not alive(pid), "a hung moto server was left running"
        assert not (tmp_path / "server.pid").exists()
    finally:
        if alive(pid):
            os.killpg(pid, signal.SIGKILL)


def test_a_server_whose_owner_died_is_stopped_unless_kept(tmp_path: Path) -> None:
    """make plan SIGKILLed leaves its server: the next run must not adopt it (and then never stop it)."""
    owner = subprocess.Popen(["sleep", "60"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    r = emulator(tmp_path, "start", "--owner", str(owner.pid))
    assert r.returncode == 0, r.stderr
    pid = int((tmp_path / "server.pid").read_text())
    try:
        assert emulator(tmp_path, "status").returncode == 0, "a server whose owner runs was stopped"
        emulator(tmp_path, "keep")
        owner.kill()
        owner.wait()
        assert emulator(tmp_path, "status").returncode == 0, "a kept server (make apply's) was stopped"
        write(tmp_path / "server.owner", str(dead.pid))  # as make plan recorded it before its SIGKILL
        assert emulator(tmp_path, "status").returncode == 1
        assert not alive(pid), "an orphaned moto server was left running"
        assert not any((tmp_path / f"server.{n}").exists() for n in ("pid", "port", "owner"))
    finally:
        owner.kill()
        if alive(pid):
            os.killpg(pid, signal.SIGKILL)


def test_a_failed_seed_is_one_line_and_leaves_no_server(tmp_path: Path) -> None:
    """Seeding fails (the server killed under it, an unreadable tfvars): one line, no traceback, no server."""
    r = emulator(tmp_path, "start", "--tfvars", str(tmp_path / "missing.tfvars"))
    assert r.returncode == 1
    assert (
        r.stderr.startswith("moto_emulator: seeding the server failed: FileNotFoundError: ")
        and "missing.tfvars" in r.stderr
    )
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "server.pid").exists()
    assert not [p for p in Path("/proc").glob("[0-9]*/cwd") if _cwd_is(p, tmp_path)], "a moto server was left running"


def _cwd_is(link: Path, where: Path) -> bool:
    try:
        return link.resolve() == where and b"moto.server" in (link.parent / "cmdline").read_bytes()
    except OSError:
        return False


# ---------------------------------------------------------------------------
# ENV is a name under envs/, never a path
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("env", ["../x", "../modules", "../envs/dev", "a b", "", "Dev", "dev/"])
def test_tf_run_refuses_an_env_that_is_not_a_name(env: str) -> None:
    r = subprocess.run(
        ["bash", str(ROOT / "scripts" / "tf-run.sh"), "plan", env, "moto"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 2, r.stderr
    assert r.stderr == f"tf-run: ENV '{env}' is not an environment name (known: dev staging prod)\n"


def test_tf_run_names_the_known_envs_for_a_missing_one() -> None:
    r = subprocess.run(
        ["bash", str(ROOT / "scripts" / "tf-run.sh"), "apply", "qa", "aws"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert (r.returncode, r.stderr) == (2, "tf-run: no environment root envs/qa (known: dev staging prod)\n")


@pytest.mark.parametrize("env", ["../x", "../../outside", "dev prod", ""])
def test_ci_collect_never_empties_a_directory_outside_reports_ci(tmp_path: Path, env: str) -> None:
    """make ci-collect ENV=... runs rm -rf reports/ci/ENV: a path there would remove what it points at."""
    tree = tmp_path / "tree"
    (tree / "envs/dev").mkdir(parents=True)
    (tree / "envs/dev/main.tf").write_text("")
    (tree / "Makefile").write_text((ROOT / "Makefile").read_text())
    keep = [write(tree / "reports/x/keep", "x"), write(tmp_path / "outside/keep", "x")]
    r = subprocess.run(
        ["make", "--no-print-directory", "-C", str(tree), "ci-collect", f"ENV={env}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2
    assert f"ENV '{env}' is not an environment (one of dev)" in r.stderr and r.stderr.count("\n") == 1
    assert all(p.exists() for p in keep)


# ---------------------------------------------------------------------------
# make plan on the emulator: a server dying under Terraform, or Terraform over its time, is one line
# ---------------------------------------------------------------------------
FAKE_TERRAFORM = """#!/bin/bash
case " $* " in
  *" init "*) exit 0 ;;
  *" plan "*) {mode} ;;
esac
exit 0
"""


@pytest.fixture
def moto_tree(tmp_path: Path) -> Path:
    """tf-run.sh and the emulator in a copy of the tree, with a terraform that only does what a test says."""
    tree = tmp_path / "tree"
    for rel in (
        "scripts/tf-run.sh",
        "scripts/moto_emulator.py",
        "scripts/plan_summary.py",
        "scripts/emulator/check_override.py",
        "scripts/emulator/emulator_override.tf",
    ):
        write(tree / rel, (ROOT / rel).read_text())
    write(tree / "scripts/tf-cli-config.sh", "#!/bin/sh\necho /dev/null\n").chmod(0o755)
    for name in ("sizing.yaml", "terraform.tfvars", ".terraform.lock.hcl", "main.tf"):
        write(tree / "envs/dev" / name, (ROOT / "envs/dev" / name).read_text())
    return tree


def plan_in(tree: Path, mode: str, **env: str) -> subprocess.CompletedProcess[str]:
    write(tree / "bin/terraform", FAKE_TERRAFORM.format(mode=mode)).chmod(0o755)
    return subprocess.run(
        ["bash", str(tree / "scripts/tf-run.sh"), "plan", "dev", "moto"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={
            **os.environ,
            "PATH": f"{tree / 'bin'}:{os.environ['PATH']}",
            "MOTO_PYTHON": sys.executable,
            "AURORA_GEN_PYTHON": sys.executable,
            **env,
        },
    )


def moto_servers_of(tree: Path) -> list[int]:
    """Live moto servers started from this tree (their working directory is its .moto/)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"moto.server" in (proc / "cmdline").read_bytes() and (proc / "cwd").resolve() == tree / ".moto":
                found.append(int(proc.name))
        except OSError:
            continue
    return [pid for pid in found if alive(pid)]


def test_plan_names_a_moto_server_that_died_under_terraform(moto_tree: Path) -> None:
    r = plan_in(moto_tree, f'kill -9 "$(cat {moto_tree}/.moto/server.pid)"; sleep 0.5; exit 1')
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines()[-1] == (
        "tf-run: the moto server stopped while terraform plan ran (see .moto/server.log): run make plan ENV=dev again"
    )
    assert moto_servers_of(moto_tree) == [] and not (moto_tree / ".moto/server.pid").exists()


def test_plan_over_its_time_is_stopped_in_one_line(moto_tree: Path) -> None:
    r = plan_in(moto_tree, "exec sleep 30", TF_MOTO_TIMEOUT="2")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines()[-1] == (
        "tf-run: terraform plan took over 2 s on the emulator and was stopped (TF_MOTO_TIMEOUT)"
    )
    assert moto_servers_of(moto_tree) == [], "the emulator this plan started is still running"


# ---------------------------------------------------------------------------
# scripts/ci-backend.sh (deploy-env.yml): the S3 backend from the GitHub environment's variables
# ---------------------------------------------------------------------------
@pytest.fixture
def backend_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    write(tree / "scripts/ci-backend.sh", (ROOT / "scripts/ci-backend.sh").read_text())
    write(tree / "envs/prod/main.tf", "")
    write(tree / "modules/aurora-serverless-v2/main.tf", "")
    return tree


def ci_backend(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(tree / "scripts/ci-backend.sh"), *args], capture_output=True, text=True, check=False
    )


def test_ci_backend_writes_the_state_key_of_the_environment(backend_tree: Path) -> None:
    r = ci_backend(backend_tree, "prod", "acme-tf-state", "eu-west-1")
    assert r.returncode == 0, r.stderr
    hcl = (backend_tree / "envs/prod/backend-s3.hcl").read_text()
    assert (
        'bucket       = "acme-tf-state"' in hcl and 'key          = "mistersmith-aurora/prod/terraform.tfstate"' in hcl
    )
    assert 'region       = "eu-west-1"' in hcl and "use_lockfile = true" in hcl


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("../modules/aurora-serverless-v2", "acme-tf-state", "eu-west-1"), "no environment root envs/../modules"),
        (("qa", "acme-tf-state", "eu-west-1"), "no environment root envs/qa"),
        (
            ("prod", "", "eu-west-1"),
            "TF_STATE_BUCKET '' is not an S3 bucket name: set the variable in the GitHub environments prod-plan and prod",
        ),
        (("prod", 'x" \n key = "other', "eu-west-1"), "is not an S3 bucket name"),
        (
            ("prod", "acme-tf-state", "Europe"),
            "AWS_REGION 'Europe' is not an AWS region: set the variable in the GitHub environments prod-plan and prod",
        ),
    ],
)
def test_ci_backend_bad_input_is_one_line_and_writes_nothing(backend_tree: Path, args, message) -> None:
    r = ci_backend(backend_tree, *args)
    assert r.returncode == 2 and message in r.stderr and r.stderr.count("\n") == 1 + args[1].count("\n"), r.stderr
    assert not list(backend_tree.rglob("backend-s3.hcl"))
