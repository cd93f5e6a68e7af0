"""Words the drawings share: pipe labels (DN and geodesic length, to the millimetre), where they sit, names."""
from __future__ import annotations

import math
from collections.abc import Sequence

from shapely.geometry.base import BaseGeometry

from geo.geodesic import length_m

UTILITY_NAMES = {"water": "给水", "gas": "燃气"}
APPROVAL_PATHS = {None: "无需审批", "notify_commit": "告知承诺制", "tolerant_parallel": "容缺受理+并联审批",
                  "filing": "容缺审批(报备)", "escalate": "提级协调", "commitment_filing": "承诺备案"}
PART_NAMES = {"outside": "外线", "inside": "内线"}


def metres(value: float) -> str:
    """A length as drawings print it: to the millimetre, so it agrees with /geo/measure."""
    return f"{value:.3f}"


def pipe_label(utility: str, part: str, dn: int | None, line_lonlat: BaseGeometry) -> str:
    """'给水外线 DN50 L=190.024m': the utility, which side of the red line, DN and the piece's geodesic length."""
    name = UTILITY_NAMES.get(utility, utility) + PART_NAMES[part]
    return f"{name}{f' DN{dn}' if dn else ''} L={metres(length_m(line_lonlat))}m"


def label_placement(coords: Sequence[tuple[float, float]], offset: float) -> tuple[tuple[float, float], float]:
    """Where text runs along a projected line: `offset` above the middle of its longest stretch, and the angle
    (degrees) that keeps it readable (never upside down)."""
    a, b = max(zip(coords, coords[1:], strict=False), key=lambda ab: math.dist(*ab))
    angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    if angle > 90 or angle <= -90:
        angle -= math.copysign(180, angle)
    normal = math.radians(angle + 90)
    return ((a[0] + b[0]) / 2 + math.cos(normal) * offset, (a[1] + b[1]) / 2 + math.sin(normal) * offset), angle
