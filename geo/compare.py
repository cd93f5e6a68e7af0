"""How two versions of a geometry differ, in metres: what an engineer needs to settle a geometry conflict."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from geo.local_plane import LocalPlane

# A vertex that moved less than this is the same vertex re-sent, not an edit.
MOVED_THRESHOLD_M = 0.01


def compare_geometries(server: dict[str, Any], device: dict[str, Any]) -> dict[str, Any]:
    """Compare two GeoJSON geometries in CGCS2000 lon/lat.

    Returns ``hausdorff_m`` (the farthest either shape strays from the other, metres), the vertex counts,
    and, when both have the same number of vertices, each vertex that moved more than 1 cm with its old
    and new position and the distance in metres.
    """
    a, b = shape(server), shape(device)
    plane = LocalPlane.around(a, b)
    a_m, b_m = plane.to_plane(a), plane.to_plane(b)
    coords_a, coords_b = shapely.get_coordinates(a), shapely.get_coordinates(b)
    result: dict[str, Any] = {
        "hausdorff_m": round(float(shapely.hausdorff_distance(a_m, b_m)), 3),
        "server_vertices": len(coords_a),
        "device_vertices": len(coords_b),
        "moved_vertices": [],
    }
    if len(coords_a) == len(coords_b):
        moved = np.hypot(*(shapely.get_coordinates(a_m) - shapely.get_coordinates(b_m)).T)
        result["moved_vertices"] = [
            {"index": int(i), "from": coords_a[i].tolist(), "to": coords_b[i].tolist(),
             "distance_m": round(float(moved[i]), 3)}
            for i in np.flatnonzero(moved > MOVED_THRESHOLD_M)]
    return result
