"""Put the generated document between the README's markers (terraform-docs' `output.mode: inject`)."""

from __future__ import annotations

from .hcl import HclError
from .render import BEGIN, END


def inject(readme: str | None, generated: str, name: str) -> tuple[str, str]:
    """(new README text, a note for the user or ""). `name` is the README's path, for errors.

    Like terraform-docs: a missing or empty README becomes the section alone; a README without either
    marker gets the section appended at its end (the note says so); one marker alone, or END before
    BEGIN, is an error. Unlike terraform-docs, the file always ends with a newline.
    """
    if not readme:
        return generated + "\n", f"{name}: created with the generated section"
    before, after = readme.find(BEGIN), readme.find(END)
    if before < 0 and after < 0:
        return readme + "\n" + generated + "\n", f"{name}: no {BEGIN} marker, section appended at the end"
    if before < 0:
        raise HclError(f"{name}: {END} without {BEGIN}")
    if after < 0:
        raise HclError(f"{name}: {BEGIN} without {END}")
    if after < before:
        raise HclError(f"{name}: {END} comes before {BEGIN}")
    return readme[:before] + generated + readme[after + len(END) :], ""
