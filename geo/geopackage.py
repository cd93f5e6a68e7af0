"""GeoPackage (OGC 12-128) feature tables read as GeoJSON features, for imports of reference layers.

What an import needs and no more: every features table, each row's geometry (the GeoPackage binary header
stripped, the WKB read by shapely), its other columns as properties, and the CRS its spatial reference
system names. The file is read in memory (sqlite3 `deserialize`), never written to disk.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import shapely

from geo.codes import GeoCode
from geo.errors import GeometryError

SQLITE_MAGIC = b"SQLite format 3\x00"
# Envelope contents code (flags bits 1-3) -> envelope length in bytes: none, xy, xyz, xym, xyzm.
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def is_geopackage(head: bytes) -> bool:
    """Whether the bytes start like an SQLite database (a GeoPackage is one)."""
    return head.startswith(SQLITE_MAGIC)


def read_geopackage(data: bytes) -> tuple[str, list[dict[str, Any]]]:
    """(CRS, GeoJSON features) of every features table; all tables must share one CRS (``EPSG:n``).

    Raises GeometryError ``invalid_geopackage`` naming the table and row of what cannot be read.
    """
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        tables = connection.execute(
            "select c.table_name, g.column_name, s.organization, s.organization_coordsys_id "
            "from gpkg_contents c join gpkg_geometry_columns g on g.table_name = c.table_name "
            "join gpkg_spatial_ref_sys s on s.srs_id = g.srs_id where c.data_type = 'features' "
            "order by c.table_name").fetchall()
        crs = {f"{organization.upper()}:{code}" for _, _, organization, code in tables}
        if len(crs) != 1:
            raise GeometryError(GeoCode.INVALID_GEOPACKAGE, "the GeoPackage needs feature tables in one CRS "
                                f"(found {', '.join(sorted(crs)) or 'none'})", field="file")
        features = [feature for table, column, _, _ in tables for feature in _features(connection, table, column)]
        return crs.pop(), features
    except sqlite3.DatabaseError as error:
        raise GeometryError(GeoCode.INVALID_GEOPACKAGE, f"not a GeoPackage: {error}", field="file") from error
    finally:
        connection.close()


def _features(connection: sqlite3.Connection, table: str, column: str) -> list[dict[str, Any]]:
    cursor = connection.execute(f'select * from "{table.replace(chr(34), chr(34) * 2)}"')
    names = [description[0] for description in cursor.description]
    features = []
    for number, row in enumerate(cursor, start=1):
        values = dict(zip(names, row, strict=True))
        blob = values.pop(column)
        if blob is None:
            continue
        properties = {name: value for name, value in values.items() if not isinstance(value, bytes)}
        features.append({"type": "Feature", "properties": properties,
                         "geometry": json.loads(shapely.to_geojson(_geometry(blob, f"{table} row {number}")))})
    return features


def _geometry(blob: bytes, where: str) -> shapely.Geometry:
    """The geometry of a GeoPackage binary: magic 'GP', version, flags, srs_id (the table's, read above), an
    optional envelope, then WKB."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise GeometryError(GeoCode.INVALID_GEOPACKAGE, f"{where}: not a GeoPackage geometry", field="file")
    flags = blob[3]
    envelope = _ENVELOPE_BYTES.get((flags >> 1) & 0b111)
    if envelope is None or flags & 0b10000:
        raise GeometryError(GeoCode.INVALID_GEOPACKAGE, f"{where}: empty geometry or unknown envelope", field="file")
    try:
        return shapely.from_wkb(blob[8 + envelope:])
    except shapely.errors.GEOSException as error:
        raise GeometryError(GeoCode.INVALID_GEOPACKAGE, f"{where}: {error}", field="file") from error
