"""The Limitless DDL variant (generator/schema/aurora-limitless.sql): every table of the design sharded on the
data file's shard key and collocated, every primary key holding the shard key (AWS: "All primary and unique
keys must include the shard key"), no PARTITION BY, and the same tables and columns as aurora.sql."""

from __future__ import annotations

import re
from pathlib import Path

from generator.inputs import data

SCHEMA = Path(__file__).resolve().parents[1] / "generator" / "schema"


def tables(sql: str) -> dict[str, str]:
    return {m[1]: m[2] for m in re.finditer(r"CREATE TABLE (\w+) \((.*?)\n\)", sql, re.DOTALL)}


def columns(body: str) -> list[str]:
    return [line.split()[0] for line in body.strip().splitlines() if not line.strip().startswith("PRIMARY KEY")]


def test_every_table_is_sharded_on_the_key_and_collocated():
    sql = (SCHEMA / "aurora-limitless.sql").read_text().split("\nBEGIN;\n", 1)[1]  # the statements, not the comments
    facts = data.limitless()["tables"]
    key, anchor = facts["shard_key"], facts["collocate_with"]
    assert "SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded';" in sql
    assert f"SET LOCAL rds_aurora.limitless_create_table_shard_key = '{{\"{key}\"}}';" in sql
    assert f"SET LOCAL rds_aurora.limitless_create_table_collocate_with = '{anchor}';" in sql
    assert (
        sql.index("limitless_create_table_mode") < sql.index(f"CREATE TABLE {anchor}") < sql.index("collocate_with =")
    )
    found = tables(sql)
    assert set(found) == set(facts["kinds"]) and "PARTITION BY" not in sql
    for name, body in found.items():
        pk = re.search(r"PRIMARY KEY \(([^)]*)\)", body)
        keys = [k.strip() for k in pk[1].split(",")] if pk else re.findall(r"(\w+)\s+UUID PRIMARY KEY", body)
        assert key in keys, name


def test_the_variant_keeps_the_tables_and_columns_of_the_schema():
    single = tables((SCHEMA / "aurora.sql").read_text())
    limitless = tables((SCHEMA / "aurora-limitless.sql").read_text())
    assert {n: columns(b) for n, b in single.items()} == {n: columns(b) for n, b in limitless.items()}
