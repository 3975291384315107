"""scripts/tf_docs.py: terraform-docs' Markdown tables from the .tf files, and their staleness check.

The expected rows are terraform-docs v0.24.0's `markdown table` output for the same HCL (default
settings: anchors, escaped underscores, HTML line breaks, sort by name, a Required column).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import tf_docs  # noqa: E402
from tfdocs import HclError, inject, load_module, render  # noqa: E402

VARIABLES = """\
variable "name" {
  description = "Cluster name; see seconds_until_auto_pause and `min_capacity`."
  type        = string
}

variable "port" {
  description = "Port."
  type        = number
  default     = 5432
}

variable "enabled" {
  type     = bool
  default  = false
  nullable = false
}

variable "subnet_ids" {
  description = "Subnets."
  type        = list(string)
  default     = ["subnet-a", "subnet-b"]
}

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = { Team = "db", Env = "dev" }
}

variable "proxy" {
  description = <<-EOT
    RDS Proxy settings.
    Pool sizes are percentages | of max_connections.
  EOT
  type = object({
    enabled = optional(bool, true)
    pool = optional(object({
      max_percent = optional(number, 80)
    }), {})
  })
  default = null
}

variable "password" {
  description = "Master password."
  type        = string
  default     = "hunter2"
  sensitive   = true
}

variable "window" {
  description = "Use `a|b` or c|d."
  type        = string
  default     = "x|y"
}

# Read from the comment, as terraform-docs does.
variable "legacy" {
  type    = "string"
  default = 1e3
}

variable "untyped" {
  default = [1.5, -2, 0.000001]
}
"""

MAIN = """\
terraform {
  required_version = ">= 1.11.0"
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = ">= 5.100.0, < 7.0.0"
      configuration_aliases = [aws.dr]
    }
    random = {
      source  = "hashicorp/random"
      version = "3.6.0"
    }
  }
}

data "aws_region" "current" {}

resource "aws_kms_key" "dr" {
  provider = aws.dr
}

resource "random_id" "suffix" {
  byte_length = 4
}

# terraform-docs-ignore
resource "aws_s3_bucket" "hidden" {}

module "vpc" {
  source = "git::https://example.com/vpc.git?ref=v1.2.0"
}

module "local" {
  source = "./local"
}

output "key_arn" {
  description = "Key ARN."
  value       = aws_kms_key.dr.arn
}

output "region" {
  value = data.aws_region.current.region
}
"""

LOCK = """\
provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = ">= 5.100.0, < 7.0.0"
}
"""


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    (tmp_path / "variables.tf").write_text(VARIABLES)
    (tmp_path / "main.tf").write_text(MAIN)
    (tmp_path / ".terraform.lock.hcl").write_text(LOCK)
    return tmp_path


def _rows(doc: str, section: str) -> list[str]:
    body = doc.split(f"## {section}\n\n", 1)[1].split("\n\n", 1)[0]
    return [line for line in body.split("\n") if line.startswith("| <a") or line.startswith("| [")]


def _unescaped_pipes(row: str) -> int:
    return sum(1 for i, c in enumerate(row) if c == "|" and (i == 0 or row[i - 1] != "\\"))


def test_inputs_render_every_type_and_default_as_terraform_docs(module_dir):
    rows = _rows(render(load_module(module_dir)), "Inputs")
    assert rows == [
        '| <a name="input_enabled"></a> [enabled](#input\\_enabled) | n/a | `bool` | `false` | no |',
        '| <a name="input_legacy"></a> [legacy](#input\\_legacy) | Read from the comment, as terraform-docs does. '
        "| `string` | `1000` | no |",
        '| <a name="input_name"></a> [name](#input\\_name) | Cluster name; see seconds\\_until\\_auto\\_pause and '
        "`min_capacity`. | `string` | n/a | yes |",
        '| <a name="input_password"></a> [password](#input\\_password) | Master password. | `string` | `"hunter2"` | no |',
        '| <a name="input_port"></a> [port](#input\\_port) | Port. | `number` | `5432` | no |',
        '| <a name="input_proxy"></a> [proxy](#input\\_proxy) | RDS Proxy settings.<br/>Pool sizes are percentages \\| '
        "of max\\_connections. | <pre>object({<br/>    enabled = optional(bool, true)<br/>    pool = optional(object({"
        "<br/>      max_percent = optional(number, 80)<br/>    }), {})<br/>  })</pre> | `null` | no |",
        '| <a name="input_subnet_ids"></a> [subnet\\_ids](#input\\_subnet\\_ids) | Subnets. | `list(string)` | '
        '<pre>[<br/>  "subnet-a",<br/>  "subnet-b"<br/>]</pre> | no |',
        '| <a name="input_tags"></a> [tags](#input\\_tags) | Tags. | `map(string)` | '
        '<pre>{<br/>  "Env": "dev",<br/>  "Team": "db"<br/>}</pre> | no |',
        '| <a name="input_untyped"></a> [untyped](#input\\_untyped) | n/a | `list` | '
        "<pre>[<br/>  1.5,<br/>  -2,<br/>  0.000001<br/>]</pre> | no |",
        '| <a name="input_window"></a> [window](#input\\_window) | Use `a\\|b` or c\\|d. | `string` | `"x\\|y"` | no |',
    ]
    # sorted by name (terraform-docs' default sort.by = name): "name" (required) is not put first
    assert all(_unescaped_pipes(r) == 6 for r in rows), "a pipe or a line break split a row"


def test_requirements_providers_modules_resources_outputs(module_dir):
    doc = render(load_module(module_dir))
    assert _rows(doc, "Requirements") == [
        '| <a name="requirement_terraform"></a> [terraform](#requirement\\_terraform) | >= 1.11.0 |',
        '| <a name="requirement_aws"></a> [aws](#requirement\\_aws) | >= 5.100.0, < 7.0.0 |',
        '| <a name="requirement_random"></a> [random](#requirement\\_random) | 3.6.0 |',
    ]
    # providers the resources use, alias included; aws's version from the lock file, random's constraint
    assert _rows(doc, "Providers") == [
        '| <a name="provider_aws"></a> [aws](#provider\\_aws) | 5.100.0 |',
        '| <a name="provider_aws.dr"></a> [aws.dr](#provider\\_aws.dr) | 5.100.0 |',
        '| <a name="provider_random"></a> [random](#provider\\_random) | 3.6.0 |',
    ]
    assert _rows(doc, "Modules") == [
        '| <a name="module_local"></a> [local](#module\\_local) | ./local | n/a |',
        '| <a name="module_vpc"></a> [vpc](#module\\_vpc) | git::https://example.com/vpc.git | v1.2.0 |',
    ]
    registry = "https://registry.terraform.io/providers"
    assert _rows(doc, "Resources") == [
        f"| [aws_kms_key.dr]({registry}/hashicorp/aws/latest/docs/resources/kms_key) | resource |",
        f"| [random_id.suffix]({registry}/hashicorp/random/3.6.0/docs/resources/id) | resource |",
        f"| [aws_region.current]({registry}/hashicorp/aws/latest/docs/data-sources/region) | data source |",
    ]
    assert _rows(doc, "Outputs") == [
        '| <a name="output_key_arn"></a> [key\\_arn](#output\\_key\\_arn) | Key ARN. |',
        '| <a name="output_region"></a> [region](#output\\_region) | n/a |',
    ]


def test_document_layout_between_markers(tmp_path):
    (tmp_path / "main.tf").write_text('variable "x" {\n  type = string\n}\n')
    assert render(load_module(tmp_path)) == (
        "<!-- BEGIN_TF_DOCS -->\n## Requirements\n\nNo requirements.\n\n## Providers\n\nNo providers.\n\n"
        "## Modules\n\nNo modules.\n\n## Resources\n\nNo resources.\n\n## Inputs\n\n"
        "| Name | Description | Type | Default | Required |\n| ---- | ----------- | ---- | ------- | :------: |\n"
        '| <a name="input_x"></a> [x](#input\\_x) | n/a | `string` | n/a | yes |\n\n'
        "## Outputs\n\nNo outputs.\n<!-- END_TF_DOCS -->"
    )


def test_escaping_keeps_code_spans_urls_and_emphasis(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "v" {\n  description = "See https://example.com/a_b, `c_d`, _some emphasis_ and f_g."\n  type = string\n}\n'
    )
    row = _rows(render(load_module(tmp_path)), "Inputs")[0]
    assert "| See https://example.com/a_b, `c_d`, _some emphasis_ and f\\_g. |" in row


def test_constant_defaults_are_evaluated_as_terraform_does(tmp_path):
    """python-hcl2's dict form drops a heredoc's last newline, keeps "$${" and leaves 1e3 as a string."""
    (tmp_path / "main.tf").write_text(
        'variable "policy" {\n  default = <<EOT\n{"a": 1}\nEOT\n}\n'
        'variable "template" {\n  default = "$${name}-%%{x}"\n}\n'
        'variable "seconds" {\n  default = 7 * 24 * 60 + 1 - 1\n}\n'
    )
    defaults = [r.split(" | ")[3] for r in _rows(render(load_module(tmp_path)), "Inputs")]
    assert defaults == ['`"{\\"a\\": 1}\\n"`', "`10080`", '`"${name}-%{x}"`']  # policy, seconds, template


def test_header_comment_of_main_tf_opens_the_section(tmp_path):
    (tmp_path / "main.tf").write_text("/**\n * # my_module\n *\n * Does things.\n */\nlocals {}\n")
    assert render(load_module(tmp_path)).startswith(
        "<!-- BEGIN_TF_DOCS -->\n# my\\_module\n\nDoes things.\n\n## Requirements\n"
    )


def test_text_github_would_take_for_html_tags_is_warned_about(tmp_path, capsys):
    (tmp_path / "main.tf").write_text(
        'variable "a" {\n  description = "Topic <name>-alarms, `<name>` and a<br>break."\n  type = string\n}\n'
        'output "o" {\n  description = "Named </prefix>."\n  value = 1\n}\n'
    )
    assert tf_docs.main([str(tmp_path)]) == 0  # a warning, not an error
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 2)[2] for line in err] == [
        "input a: GitHub hides <name> in the description as an HTML tag; put it in backticks",
        "output o: GitHub hides </prefix> in the description as an HTML tag; put it in backticks",
    ]


def test_inject_replaces_only_between_markers():
    readme = "# Title\n\nIntro.\n\n<!-- BEGIN_TF_DOCS -->\nold\n<!-- END_TF_DOCS -->\n\n## After\n"
    new, note = inject(readme, "<!-- BEGIN_TF_DOCS -->\nnew\n<!-- END_TF_DOCS -->", "R.md")
    assert new == "# Title\n\nIntro.\n\n<!-- BEGIN_TF_DOCS -->\nnew\n<!-- END_TF_DOCS -->\n\n## After\n"
    assert note == ""


def test_inject_appends_without_markers_and_refuses_half_a_pair():
    new, note = inject("# Title\n", "<!-- BEGIN_TF_DOCS -->\nx\n<!-- END_TF_DOCS -->", "R.md")
    assert new == "# Title\n\n<!-- BEGIN_TF_DOCS -->\nx\n<!-- END_TF_DOCS -->\n"
    assert "appended at the end" in note
    with pytest.raises(HclError, match="R.md: <!-- BEGIN_TF_DOCS --> without <!-- END_TF_DOCS -->"):
        inject("<!-- BEGIN_TF_DOCS -->\n", "gen", "R.md")
    with pytest.raises(HclError, match="comes before"):
        inject("<!-- END_TF_DOCS -->\n<!-- BEGIN_TF_DOCS -->\n", "gen", "R.md")


def _readme(directory: Path) -> Path:
    path = directory / "README.md"
    path.write_text("# Module\n\n<!-- BEGIN_TF_DOCS -->\n<!-- END_TF_DOCS -->\n")
    return path


def test_write_then_check_then_stale(module_dir, capsys):
    readme = _readme(module_dir)
    assert tf_docs.main(["--check", str(module_dir)]) == 1
    assert "README.md: terraform-docs section is stale" in capsys.readouterr().err
    assert "<!-- BEGIN_TF_DOCS -->\n<!-- END_TF_DOCS -->" in readme.read_text()  # --check wrote nothing

    assert tf_docs.main([str(module_dir)]) == 0
    written = readme.read_text()
    assert written.startswith("# Module\n\n<!-- BEGIN_TF_DOCS -->\n## Requirements") and written.endswith("-->\n")
    mtime = readme.stat().st_mtime_ns
    assert tf_docs.main([str(module_dir)]) == 0 and readme.stat().st_mtime_ns == mtime  # unchanged: not rewritten
    assert tf_docs.main(["--check", str(module_dir)]) == 0

    (module_dir / "variables.tf").write_text(VARIABLES.replace('"Port."', '"PostgreSQL port."'))
    capsys.readouterr()
    assert tf_docs.main(["--check", str(module_dir)]) == 1
    assert "stale" in capsys.readouterr().err
    assert readme.read_text() == written


def test_malformed_hcl_exits_2_naming_the_file_and_writes_nothing(module_dir):
    readme = _readme(module_dir)
    before = readme.read_text()
    (module_dir / "broken.tf").write_text('variable "x" {\n  type = \n}\n')
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "tf_docs.py"), str(module_dir)], capture_output=True, text=True
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.tf:2:10: malformed HCL (unexpected" in lines[0]
    assert "Traceback" not in run.stderr and readme.read_text() == before


def test_one_bad_directory_writes_nothing_anywhere(tmp_path, capsys):
    good, bad = tmp_path / "good", tmp_path / "bad"
    for d in (good, bad):
        d.mkdir()
        (d / "main.tf").write_text('variable "x" {\n  type = string\n}\n')
    readme = _readme(good)
    before = readme.read_text()
    (bad / "README.md").write_text("<!-- BEGIN_TF_DOCS -->\nno end marker\n")
    assert tf_docs.main([str(good), str(bad)]) == 2
    assert "bad/README.md: <!-- BEGIN_TF_DOCS --> without <!-- END_TF_DOCS -->" in capsys.readouterr().err
    assert readme.read_text() == before


def test_readme_without_markers_gets_the_section_appended_and_missing_one_created(tmp_path, capsys):
    with_text, without = tmp_path / "a", tmp_path / "b"
    for d in (with_text, without):
        d.mkdir()
        (d / "main.tf").write_text('output "o" {\n  value = 1\n}\n')
    (with_text / "README.md").write_text("# A\n\nNarrative.\n")
    assert tf_docs.main([str(with_text), str(without)]) == 0
    out = capsys.readouterr().out
    assert "a/README.md: no <!-- BEGIN_TF_DOCS --> marker, section appended at the end" in out
    assert "b/README.md: created with the generated section" in out
    assert (with_text / "README.md").read_text().startswith("# A\n\nNarrative.\n\n<!-- BEGIN_TF_DOCS -->\n")
    assert (
        (without / "README.md")
        .read_text()
        .endswith('| <a name="output_o"></a> [o](#output\\_o) | n/a |\n<!-- END_TF_DOCS -->\n')
    )
    assert tf_docs.main(["--check", str(with_text), str(without)]) == 0


def test_non_constant_default_is_bad_input(tmp_path, capsys):
    (tmp_path / "main.tf").write_text('variable "x" {\n  default = upper("a")\n}\n')
    assert tf_docs.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and 'main.tf:2: variable "x".default must be a constant' in err
    assert not (tmp_path / "README.md").exists()


def test_discover_finds_modules_and_every_example(tmp_path):
    for d in ["modules/m", "modules/m/examples/complete", "modules/m/examples/minimal", "modules/m/examples/empty"]:
        (tmp_path / d).mkdir(parents=True)
    for d in ["modules/m", "modules/m/examples/complete", "modules/m/examples/minimal"]:
        (tmp_path / d / "main.tf").write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in tf_docs.discover(tmp_path)]
    assert found == ["modules/m", "modules/m/examples/complete", "modules/m/examples/minimal"]


def test_repository_readmes_are_current(capsys):
    """`make test` fails here when a .tf change was not followed by `make docs`."""
    code = tf_docs.main(["--check"])
    assert code == 0, capsys.readouterr().err


def test_module_readme_lists_every_variable_and_output():
    """Cross-check with python-hcl2's own dict API, independent of the generator's tree walk."""
    module = ROOT / "modules" / "aurora-serverless-v2"
    readme = (module / "README.md").read_text()
    names = {"input": set(), "output": set()}
    for tf in module.glob("*.tf"):
        parsed = hcl2.loads(tf.read_text())
        names["input"] |= {n for block in parsed.get("variable", []) for n in block}
        names["output"] |= {n for block in parsed.get("output", []) for n in block}
    assert names["input"] and names["output"]
    for kind, found in names.items():
        missing = [n for n in found if f'<a name="{kind}_{n}"></a>' not in readme]
        assert not missing, f"{kind}s missing from the module README: {missing}"
