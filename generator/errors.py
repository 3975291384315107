"""The one error type the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: names the file and, where there is one, the field."""

    def __init__(self, path: str, field: str | None, message: str) -> None:
        self.path, self.field, self.message = str(path), field, message
        super().__init__(self.line())

    def line(self) -> str:
        where = f"{self.path}: {self.field}" if self.field else self.path
        return f"{where}: {self.message}"
