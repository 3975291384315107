"""terraform-docs' Markdown tables of a Terraform module, generated with python-hcl2 (scripts/tf_docs.py)."""

from .hcl import HclError
from .inject import inject
from .module import load_module
from .render import render

__all__ = ["HclError", "inject", "load_module", "render"]
