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
    """Hex EWKB, SRID included: how PostGIS reads a geometry from text, such as a JSON string.

    It is byte for byte what PostGIS writes for the geometry (`ST_AsEWKB`), so two are equal exactly when
    their type and coordinates are (`ewkb_of` a stored value)."""
    return None if geometry is None else shapely.to_wkb(shapely.set_srid(geometry, SRID), include_srid=True).hex()


def from_ewkb(ewkb: str | None):
    """The column value of a `to_ewkb` string, the kind `to_db` gives."""
    return None if ewkb is None else WKBElement(ewkb, srid=SRID, extended=True)


def ewkb_of(value) -> str | None:
    """A geometry column's value (as loaded, or `from_ewkb`) as `to_ewkb` writes it."""
    return None if value is None else value.desc
