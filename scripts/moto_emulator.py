#!/usr/bin/env python3
"""Run a local moto server for Terraform plans without an AWS account, and seed what the env roots look up.

    moto_emulator.py start [--owner PID] --tfvars envs/dev/terraform.tfvars   # start (or reuse) and seed; prints the port
    moto_emulator.py keep                                       # the server outlives its owner (an apply's state)
    moto_emulator.py stop                                       # stop the server started by `start`
    moto_emulator.py status                                     # exit 0 when a live server is recorded

The server listens on 127.0.0.1 on a free port, in its own process group, with its pid and port in
.moto/server.{pid,port}. A server started for an owner (tf-run.sh's pid) that died without stopping it
(SIGKILL) is an orphan: the next start or status stops it, so no run adopts it and leaves it running. Seeding is idempotent: a VPC tagged Name=<vpc_name> and one subnet tagged
Tier=<subnet_tier> in each of three Availability Zones of <aws_region>, which is what envs/*/main.tf
looks up. Nothing here talks to AWS: every client points at the local endpoint with fake credentials.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("MOTO_STATE_DIR", ROOT / ".moto"))
PID_FILE = STATE_DIR / "server.pid"
PORT_FILE = STATE_DIR / "server.port"
LOG_FILE = STATE_DIR / "server.log"
OWNER_FILE = STATE_DIR / "server.owner"  # the pid the server runs for, or "keep"
START_TIMEOUT_S = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)  # our own child (start, then stop on a failed seed): reap it once it ended
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _is_moto(pid: int) -> bool:
    """Whether pid runs a moto server: a recorded pid that died may since belong to another process."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:  # no such process, or no /proc (macOS): ask ps
        try:
            cmdline = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, check=False).stdout
        except OSError:
            return False
    except OSError:
        return False
    return b"moto.server" in cmdline


def _responds(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _orphaned() -> bool:
    try:
        owner = OWNER_FILE.read_text().strip()
    except OSError:
        return False  # started without an owner: kept until stop
    return owner.isdigit() and not _alive(int(owner))


def running() -> int | None:
    """Port of the recorded server when it is alive and answering, else None (stale files removed)."""
    try:
        pid = int(PID_FILE.read_text())
        port = int(PORT_FILE.read_text())
    except (OSError, ValueError):
        return None
    if _alive(pid) and _is_moto(pid) and not _orphaned() and _responds(port):
        return port
    stop()  # a hung server (alive, not answering) is ended, not forgotten; a dead one's files go
    return None


def start(owner: int | None = None) -> tuple[int, bool]:
    """Start a server unless one runs (for owner, a pid: orphaned when it dies); return (port, started_now)."""
    port = running()
    if port is not None:
        return port, False
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = open(LOG_FILE, "ab")
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")  # AWS managed policies, attachable
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: `stop` ends it and only it
        cwd=STATE_DIR,
        env=env,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"moto server exited with {proc.returncode}; see {LOG_FILE}")
        if _responds(port):
            PID_FILE.write_text(str(proc.pid))
            PORT_FILE.write_text(str(port))
            if owner is None:
                OWNER_FILE.unlink(missing_ok=True)
            else:
                OWNER_FILE.write_text(str(owner))
            return port, True
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    sys.exit(f"moto server did not answer on port {port} within {START_TIMEOUT_S}s; see {LOG_FILE}")


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def stop() -> None:
    try:
        pid = int(PID_FILE.read_text())
    except (OSError, ValueError):
        return
    # Only a moto server is signalled: the pid of a server that died may be another process's now.
    if _alive(pid) and _is_moto(pid):
        for sig in (signal.SIGTERM, signal.SIGCONT):  # SIGCONT: a stopped server gets the SIGTERM too
            _signal_group(pid, sig)
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            _signal_group(pid, signal.SIGKILL)
    PID_FILE.unlink(missing_ok=True)
    PORT_FILE.unlink(missing_ok=True)
    OWNER_FILE.unlink(missing_ok=True)


def _tfvar(text: str, name: str) -> str:
    m = re.search(rf'^\s*{name}\s*=\s*"([^"]*)"', text, re.MULTILINE)
    if not m:
        sys.exit(f"{name} (a string) not found in the tfvars")
    return m.group(1)


def seed(port: int, tfvars: Path) -> None:
    import boto3  # from the project's dev dependencies (.venv)

    text = tfvars.read_text()
    region = _tfvar(text, "aws_region")
    vpc_name = _tfvar(text, "vpc_name")
    tier = _tfvar(text, "subnet_tier")
    ec2 = boto3.client(
        "ec2",
        region_name=region,
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="moto",
        aws_secret_access_key="moto",
    )
    found = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [vpc_name]}])["Vpcs"]
    if found:
        return
    vpc_id = ec2.create_vpc(
        CidrBlock="10.20.0.0/16",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": vpc_name}]}],
    )["Vpc"]["VpcId"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:3]
    for i, zone in enumerate(zones):
        ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=f"10.20.{100 + i}.0/24",
            AvailabilityZone=zone,
            TagSpecifications=[
                {
                    "ResourceType": "subnet",
                    "Tags": [{"Key": "Name", "Value": f"{vpc_name}-{tier}-{zone}"}, {"Key": "Tier", "Value": tier}],
                }
            ],
        )
    # A decoy in another tier, so the Tier filter is exercised.
    ec2.create_subnet(
        VpcId=vpc_id,
        CidrBlock="10.20.1.0/24",
        AvailabilityZone=zones[0],
        TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "Tier", "Value": "public"}]}],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start (or reuse) the server and seed it; prints the port")
    p_start.add_argument("--tfvars", type=Path, action="append", default=[], help="seed what this tfvars looks up")
    p_start.add_argument(
        "--owner", type=int, help="a new server is an orphan, stopped by the next run, once this pid dies"
    )
    sub.add_parser("keep", help="the recorded server outlives its owner (until stop)")
    sub.add_parser("stop", help="stop the recorded server")
    sub.add_parser("status", help="exit 0 and print the port when a live server is recorded")
    args = parser.parse_args()

    if args.command == "start":
        port, started = start(args.owner)
        try:
            for tfvars in args.tfvars:
                seed(port, tfvars)
        except BaseException as exc:
            if started:
                stop()
            if not isinstance(exc, Exception):  # Ctrl-C, sys.exit: as they are
                raise
            # One line: the server died or stopped answering while being seeded (botocore's errors), or the
            # tfvars is unreadable. The exception's first line names the endpoint or the file.
            first = str(exc).splitlines()[0] if str(exc) else ""
            sys.exit(f"moto_emulator: seeding the server failed: {exc.__class__.__name__}: {first} (see {LOG_FILE})")
        print(port)
    elif args.command == "keep":
        if running() is not None:
            OWNER_FILE.write_text("keep")
    elif args.command == "stop":
        stop()
    else:
        port = running()
        if port is None:
            sys.exit(1)
        print(port)


if __name__ == "__main__":
    main()
