"""Which cluster an environment runs: the identifier its root gives the module, or --cluster-id.

The env roots name the module's cluster in their locals (envs/<env>/main.tf: `name = "mistersmith-${var.environment}"`),
and the module uses that name as the cluster identifier and the proxy's name (modules/aurora-serverless-v2:
`cluster_identifier = var.name`, `aws_db_proxy.name = var.name`). `var.environment` is the tfvars'
`environment`, rendered from the sizing's `environment`.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import InputError, shown
from generator.inputs.files import read_text

# RDS's DB cluster identifier: a letter, then letters, digits and single hyphens; at most 63 characters.
CLUSTER_ID = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$")
_LOCAL_NAME = re.compile(r"^\s*name\s*=\s*\"([^\"]*)\"", re.MULTILINE)


def checked(cluster_id: str) -> str:
    if not CLUSTER_ID.match(cluster_id):
        raise InputError("--cluster-id", None, f"{shown(cluster_id)} is not an RDS cluster identifier")
    return cluster_id


def of_environment(env_dir: Path, environment: str) -> str:
    """The identifier the env root's `locals { name = ... }` gives, with var.environment substituted."""
    main = env_dir / "main.tf"
    found = _LOCAL_NAME.search(read_text(main, "Terraform file"))
    if not found:
        raise InputError(main, "locals.name", "not found: give --cluster-id")
    name = found.group(1).replace("${var.environment}", environment)
    if "${" in name or not CLUSTER_ID.match(name):
        raise InputError(
            main, "locals.name", f"{shown(found.group(1))} is not an identifier observe can resolve: give --cluster-id"
        )
    return name
