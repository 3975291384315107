#!/usr/bin/env python3
"""Merge the reports of several checkov runs into one set (standard library only).

    checkov_merge.py OUT_DIR RUN_DIR...

Each RUN_DIR holds results.json, results.sarif and results.xml of one `checkov -d <dir>` run. OUT_DIR gets
results.json (the list of the runs' reports), results.sarif (their runs side by side) and results.xml
(their test suites). `make policy` scans each directory in a run of its own because checkov 3.3.30,
given several -d directories in one run, carries the first directory's results into the next report
and leaves the environment roots' own files out of it.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def _json_reports(path: Path) -> list:
    if not path.is_file():
        return []
    doc = json.loads(path.read_text(encoding="utf-8"))
    return doc if isinstance(doc, list) else [doc]


def main(out_dir: Path, run_dirs: list[Path]) -> None:
    reports: list = []
    sarif: dict | None = None
    suites = ET.Element("testsuites")
    for run in run_dirs:
        reports += _json_reports(run / "results.json")
        if (run / "results.sarif").is_file():
            doc = json.loads((run / "results.sarif").read_text(encoding="utf-8"))
            if sarif is None:
                sarif = doc
            else:
                sarif["runs"] += doc.get("runs", [])
        if (run / "results.xml").is_file():
            root = ET.parse(run / "results.xml").getroot()
            suites.extend(root.findall("testsuite") if root.tag == "testsuites" else [root])
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(reports, indent=1), encoding="utf-8")
    if sarif is not None:
        (out_dir / "results.sarif").write_text(json.dumps(sarif, indent=1), encoding="utf-8")
    ET.ElementTree(suites).write(out_dir / "results.xml", encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), [Path(a) for a in sys.argv[2:]])
