"""Backup and maintenance windows: parsing, length and overlap (UTC), shared with the policies."""

from __future__ import annotations

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES


def _hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def backup_window_minutes(window: str) -> tuple[int, int]:
    """'hh24:mi-hh24:mi' -> (start, end) minutes of the day; end may pass midnight (> 1440)."""
    start, end = (_hhmm(part) for part in window.split("-"))
    return start, end if end > start else end + DAY_MINUTES


def maintenance_window_minutes(window: str) -> tuple[int, int]:
    """'ddd:hh24:mi-ddd:hh24:mi' -> (start, end) minutes of the week; end may pass the week's end."""

    def point(part: str) -> int:
        day, rest = part.split(":", 1)
        return DAYS.index(day) * DAY_MINUTES + _hhmm(rest)

    start, end = (point(part) for part in window.split("-"))
    return start, end if end > start else end + WEEK_MINUTES


def window_length_minutes(window: str) -> int:
    start, end = backup_window_minutes(window)
    return end - start


def windows_overlap(backup_window: str, maintenance_window: str) -> bool:
    """Does the daily backup window meet the weekly maintenance window on any day?"""
    b_start, b_end = backup_window_minutes(backup_window)
    m_start, m_end = maintenance_window_minutes(maintenance_window)
    for day in range(-1, 8):  # one day either side catches windows that wrap the week
        s, e = day * DAY_MINUTES + b_start, day * DAY_MINUTES + b_end
        for shift in (-WEEK_MINUTES, 0, WEEK_MINUTES):
            if s < m_end + shift and m_start + shift < e:
                return True
    return False
