"""The one adapter between shapely geometries and PostGIS columns (EPSG:4490)."""
import shapely
from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry

SRID = 4490


def to_db(geometry: BaseGeometry | None):
    return None if geometry is None else from_shape(geometry, srid=SRID)


def from_db(value) -> BaseGeometry | None:
    return None if value is None else to_shape(value)


def to_ewkb(geometry: BaseGeometry | None) -> str | None:
    """Hex EWKB, SRID included: how PostGIS reads a geometry from text, such as a JSON string."""
    return None if geometry is None else shapely.to_wkb(shapely.set_srid(geometry, SRID), hex=True,
                                                        include_srid=True)


def from_ewkb(ewkb: str | None):
    """The column value of a `to_ewkb` string, the kind `to_db` gives."""
    return None if ewkb is None else WKBElement(ewkb, srid=SRID, extended=True)
