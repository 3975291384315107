"""The terraform-docs `markdown table` document of a module (terraform-docs v0.24.0, default settings).

Sections in terraform-docs' order: header (a /* */ comment opening main.tf, if any), Requirements,
Providers, Modules, Resources, Inputs, Outputs. Sorting is terraform-docs' default `sort.by: name`:
inputs strictly by name (required ones are not put first; the Required column says which are),
outputs and modules by name, providers by name then alias, resources managed first then data
sources, each by address. Providers are those the resources use (with their alias, e.g. `aws.dr`),
with the version locked in .terraform.lock.hcl, else the required_providers constraint.
"""

from __future__ import annotations

import re

from .module import Module, Resource
from .sanitize import cell, fenced, go_json, markdown_section, markdown_table

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


def anchor(prefix: str, name: str) -> str:
    """terraform-docs' CreateAnchorMarkdown with anchor and escape on."""
    target = f"{prefix}_{name}"
    return f'<a name="{target}"></a> [{name.replace("_", chr(92) + "_")}](#{target.replace("_", chr(92) + "_")})'


def _table(title: str, header: list[str], align: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f"## {title}\n\n{empty}"
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return f"## {title}\n\n" + "\n".join(lines)


def _requirements(module: Module) -> str:
    rows = [[anchor("requirement", "terraform"), v or "n/a"] for v in module.required_core]
    for name in sorted(module.required_providers):
        rows += [[anchor("requirement", name), v or "n/a"] for v in module.required_providers[name]["versions"]]
    return _table("Requirements", ["Name", "Version"], ["----", "-------"], rows, "No requirements.")


def _providers(module: Module) -> str:
    used = sorted({(r.provider, r.alias) for r in module.resources.values()})
    rows = []
    for name, alias in used:
        version = module.locked_versions.get(name) or " ".join(
            module.required_providers.get(name, {}).get("versions", [])
        )
        rows.append([anchor("provider", f"{name}.{alias}" if alias else name), version or "n/a"])
    return _table("Providers", ["Name", "Version"], ["----", "-------"], rows, "No providers.")


def _modules(module: Module) -> str:
    rows = [
        [anchor("module", m.name), m.source, m.version or "n/a"]
        for m in sorted(module.module_calls.values(), key=lambda m: m.name)
    ]
    return _table("Modules", ["Name", "Source", "Version"], ["----", "------", "-------"], rows, "No modules.")


def _resource_version(constraints: list[str]) -> str:
    """The registry docs version of a resource link: `latest` unless the provider is pinned exactly."""
    parts = constraints[-1].split(" ") if constraints else []
    if len(parts) == 1 and parts[0]:
        if parts[0][0].isdigit():
            return parts[0]
        return parts[0][1:] if parts[0][0] == "=" else "latest"
    if len(parts) == 2 and parts[0] == "=":
        return parts[1]
    return "latest"


def _resource_row(module: Module, r: Resource) -> tuple:
    rtype = r.type.removeprefix(r.provider + "_")
    spec = f"{r.provider}_{rtype}.{r.name}"
    required = module.required_providers.get(r.provider, {})
    source = required.get("source") or f"hashicorp/{r.provider}"
    kind = "resources" if r.mode == "managed" else "data-sources"
    name = spec
    if source.count("/") <= 1:
        version = _resource_version(required.get("versions", []))
        name = f"[{spec}](https://registry.terraform.io/providers/{source}/{version}/docs/{kind}/{rtype})"
    # managed before data ("managed" > "data"), then by address
    return (r.mode != "managed", spec, r.name), [name, "resource" if r.mode == "managed" else "data source"]


def _resources(module: Module) -> str:
    rows = [row for _key, row in sorted(_resource_row(module, r) for r in module.resources.values())]
    return _table("Resources", ["Name", "Type"], ["----", "----"], rows, "No resources.")


def _inputs(module: Module) -> str:
    rows = []
    for v in sorted(module.variables.values(), key=lambda v: v.name):
        default = "n/a" if v.required else markdown_table(fenced(go_json(v.default)))
        rows.append(
            [
                anchor("input", v.name),
                markdown_table(v.description),
                markdown_table(fenced(v.type)),
                default,
                "yes" if v.required else "no",
            ]
        )
    header = ["Name", "Description", "Type", "Default", "Required"]
    return _table("Inputs", header, ["----", "-----------", "----", "-------", ":------:"], rows, "No inputs.")


def _outputs(module: Module) -> str:
    rows = [
        [anchor("output", o.name), markdown_table(o.description)]
        for o in sorted(module.outputs.values(), key=lambda o: o.name)
    ]
    return _table("Outputs", ["Name", "Description"], ["----", "-----------"], rows, "No outputs.")


def _tidy(markdown: str) -> str:
    """terraform-docs' sanitize(): no trailing spaces (but a Markdown "two spaces" line break), at most one
    blank line in a row, none at the end."""
    keep = "\x00DOUBLESPACES\x00"
    markdown = re.sub(r" {2}(\r?\n)", keep + r"\1", markdown)
    markdown = re.sub(r" +(\r?\n)", r"\1", markdown)
    markdown = re.sub(r" +\Z", "", markdown)
    markdown = re.sub(keep + r"(\r?\n)", r"  \1", markdown)
    markdown = re.sub(r"(\r?\n)  (\r?\n)", r"\1", markdown)
    markdown = re.sub(r"(\r?\n){3,}", r"\1\1", markdown)
    return re.sub(r"(\r?\n){2,}\Z", "", markdown)


def render(module: Module) -> str:
    """The generated document, markers included (what goes between and on the marker lines)."""
    sections = [
        _requirements(module),
        _providers(module),
        _modules(module),
        _resources(module),
        _inputs(module),
        _outputs(module),
    ]
    if module.header:
        sections.insert(0, markdown_section(module.header))
    body = _tidy("\n".join(s + "\n" for s in sections)).rstrip("\n")
    return f"{BEGIN}\n{body}\n{END}"
