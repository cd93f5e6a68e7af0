"""Drawn against taped: does the length measured on the drawing agree with the crew's tape?"""

from __future__ import annotations

import math
from typing import Any

from geo.codes import GeoCode
from geo.errors import GeometryError

ABS_TOLERANCE_M = 1.0
REL_TOLERANCE = 0.03


def reconcile_length(drawn_m: float, taped_m: float, *, abs_tolerance_m: float = ABS_TOLERANCE_M,
                     rel_tolerance: float = REL_TOLERANCE) -> dict[str, Any]:
    """Compare a drawn (geodesic) length with a taped one, both in metres.

    Returns ``{drawn_m, taped_m, difference_m, difference_ratio, flagged}``: ``difference_m`` is
    drawn − taped, ``difference_ratio`` is that over the taped length (None when it is 0), and ``flagged``
    is true when the difference exceeds both ``abs_tolerance_m`` and ``rel_tolerance`` of the taped length
    (so a short run is not flagged for centimetres, nor a long one for a metre).
    Raises GeometryError ``invalid_length`` for a negative or non-finite length.
    """
    for field, value in (("drawn_m", drawn_m), ("taped_m", taped_m)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise GeometryError(GeoCode.INVALID_LENGTH, f"{field} must be a finite length in metres, ≥ 0",
                                field=field, details={"value": value if isinstance(value, (int, float)) else None})
    difference_m = drawn_m - taped_m
    return {
        "drawn_m": drawn_m,
        "taped_m": taped_m,
        "difference_m": difference_m,
        "difference_ratio": difference_m / taped_m if taped_m else None,
        "flagged": abs(difference_m) > abs_tolerance_m and abs(difference_m) > rel_tolerance * taped_m,
    }
