"""GCJ-02 ("Mars coordinates", used by AMap/Tencent maps) to and from WGS84, vectorised over numpy arrays.

The forward transform is the published formula (Krasovsky 1940 constants, as in the leaked reference
implementation that every open library copies). It has no closed-form inverse, so ``gcj02_to_wgs84``
inverts it by fixed-point iteration: the offset varies by under 1e-4 of itself per metre moved, so each
step gains about four decimal places and three to four steps reach 1e-10 degrees (0.01 mm).

Outside the rough box where the offset is applied, both directions are the identity, as in the reference.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

_KRASOVSKY_A = 6378245.0
_KRASOVSKY_E2 = 0.00669342162296594323

# The box the reference implementation offsets; not China's border (see crs.CHINA_EXTENT for that).
_OFFSET_LON = (72.004, 137.8347)
_OFFSET_LAT = (0.8293, 55.8271)

_INVERSE_TOLERANCE_DEG = 1e-10
_INVERSE_MAX_STEPS = 20


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """WGS84 longitude/latitude (degrees) to GCJ-02 longitude/latitude (degrees)."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    d_lon, d_lat = _offset(lon, lat)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """GCJ-02 longitude/latitude (degrees) to WGS84, so that ``wgs84_to_gcj02`` of the result is the input to 1e-10°."""
    gcj_lon = np.asarray(lon, dtype=np.float64)
    gcj_lat = np.asarray(lat, dtype=np.float64)
    wgs_lon, wgs_lat = gcj_lon.copy(), gcj_lat.copy()
    for _ in range(_INVERSE_MAX_STEPS):
        fwd_lon, fwd_lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
        err_lon, err_lat = fwd_lon - gcj_lon, fwd_lat - gcj_lat
        wgs_lon -= err_lon
        wgs_lat -= err_lat
        if max(np.max(np.abs(err_lon), initial=0.0), np.max(np.abs(err_lat), initial=0.0)) < _INVERSE_TOLERANCE_DEG:
            break
    return wgs_lon, wgs_lat


def _offset(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The GCJ-02 shift (degrees) at a WGS84 point; zero outside the offset box."""
    x = lon - 105.0
    y = lat - 35.0
    x_pi = x * np.pi
    y_pi = y * np.pi
    shared = 20.0 * np.sin(6.0 * x_pi) + 20.0 * np.sin(2.0 * x_pi)
    d_lat_m = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
        + (shared + 20.0 * np.sin(y_pi) + 40.0 * np.sin(y_pi / 3.0)
           + 160.0 * np.sin(y_pi / 12.0) + 320.0 * np.sin(y_pi / 30.0)) * 2.0 / 3.0
    )
    d_lon_m = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
        + (shared + 20.0 * np.sin(x_pi) + 40.0 * np.sin(x_pi / 3.0)
           + 150.0 * np.sin(x_pi / 12.0) + 300.0 * np.sin(x_pi / 30.0)) * 2.0 / 3.0
    )
    # The formula yields metres-ish numbers; scale them to degrees with the Krasovsky radii of curvature.
    rad_lat = np.radians(lat)
    w2 = 1.0 - _KRASOVSKY_E2 * np.sin(rad_lat) ** 2
    w = np.sqrt(w2)
    meridian_radius = _KRASOVSKY_A * (1.0 - _KRASOVSKY_E2) / (w2 * w)
    parallel_radius = _KRASOVSKY_A / w * np.cos(rad_lat)
    d_lat = d_lat_m * 180.0 / (meridian_radius * np.pi)
    d_lon = d_lon_m * 180.0 / (parallel_radius * np.pi)
    inside = ((lon >= _OFFSET_LON[0]) & (lon <= _OFFSET_LON[1])
              & (lat >= _OFFSET_LAT[0]) & (lat <= _OFFSET_LAT[1]))
    return np.where(inside, d_lon, 0.0), np.where(inside, d_lat, 0.0)
