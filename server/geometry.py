"""The one adapter between shapely geometries and PostGIS columns (EPSG:4490)."""
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry

SRID = 4490


def to_db(geometry: BaseGeometry | None):
    return None if geometry is None else from_shape(geometry, srid=SRID)


def from_db(value) -> BaseGeometry | None:
    return None if value is None else to_shape(value)
