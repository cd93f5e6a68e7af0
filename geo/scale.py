"""Choosing the scale of a printed site drawing, and a scale bar to go with it.

A site drawing (现场出图) is printed at a standard engineering scale: 1:500 for a parcel and its
connection, 1:1000 or 1:2000 for a long route. Larger sites fall back to 1:5000 and 1:10000, the next
scales of the national series, rather than to an odd ratio nobody can measure from.
"""

from __future__ import annotations

import math

#: Preferred scales first: the smallest denominator whose frame holds the site wins.
STANDARD_SCALES = (500, 1000, 2000)
FALLBACK_SCALES = (5000, 10000)


def choose_scale(width_m: float, height_m: float, frame_width_mm: float, frame_height_mm: float) -> int | None:
    """The denominator of the largest standard scale at which a ``width_m`` × ``height_m`` site fits the frame.

    None when even 1:10000 is too small (the caller says so instead of printing a misleading scale).
    """
    for denominator in (*STANDARD_SCALES, *FALLBACK_SCALES):
        if width_m * 1000.0 / denominator <= frame_width_mm and height_m * 1000.0 / denominator <= frame_height_mm:
            return denominator
    return None


def scale_bar_m(denominator: int, max_bar_mm: float = 60.0) -> float:
    """A round scale-bar length in metres (1, 2 or 5 × 10ⁿ) that prints no longer than ``max_bar_mm``."""
    longest_m = max_bar_mm / 1000.0 * denominator
    exponent = math.floor(math.log10(longest_m))
    for step in (5, 2, 1):
        if step * 10**exponent <= longest_m:
            return float(step * 10**exponent)
    raise AssertionError("unreachable: 1 × 10ⁿ never exceeds longest_m")
