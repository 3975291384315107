"""Figures in every message and table are written out (thousands separated, never in exponent notation), by the
one formatter (generator.errors.number) and the diff's value and setting texts built on it."""

from __future__ import annotations

import pytest


def test_numbers_are_written_out_never_in_exponent_notation():
    from generator.outputs.diff import input_text, value_text

    assert input_text(1e7) == "10,000,000" and input_text(0.995) == "0.995" and input_text(2.5) == "2.5"
    assert value_text(3300330.2, "count") == "3,300,330.2" and value_text(193.5, "acu") == "193.5"
    assert value_text(1000.0, "acu") == "1,000" and value_text(True, "flag") == "yes"


@pytest.mark.parametrize(
    "value, text",
    [(1159103.5, "1,159,103.5"), (0.995, "0.995"), (1e-05, "0.00001"), (-0.0, "0"), (6144.0, "6,144"), (7, "7")],
)
def test_one_number_formatter_for_every_message(value, text):
    from generator.errors import number

    assert number(value) == text and "e" not in number(value * 1e9)
