"""Where a site photo was taken: the GPS tags a tablet's camera writes into the JPEG's EXIF."""
from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError
from shapely import Point

from server.exports.sheets import PhotoPoint

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_LAT_REF, _LAT, _LON_REF, _LON = 1, 2, 3, 4


def photo_point(sha256: str, content: bytes) -> PhotoPoint | None:
    """The photo's position from its EXIF GPS tags; None when it has none (a scan, a camera without GNSS)."""
    try:
        exif = Image.open(io.BytesIO(content)).getexif()
    except (UnidentifiedImageError, OSError):
        return None
    gps = exif.get_ifd(_GPS_IFD)
    if not all(tag in gps for tag in (_LAT_REF, _LAT, _LON_REF, _LON)):
        return None
    lat = _degrees(gps[_LAT]) * (-1 if gps[_LAT_REF] == "S" else 1)
    lon = _degrees(gps[_LON]) * (-1 if gps[_LON_REF] == "W" else 1)
    taken_at = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL)
    return PhotoPoint(sha256, Point(lon, lat), str(taken_at) if taken_at else None)


def _degrees(dms) -> float:
    degrees, minutes, seconds = (float(part) for part in dms)
    return degrees + minutes / 60.0 + seconds / 3600.0
