"""GeoPackage (OGC 12-128r19) through GDAL (pyogrio): tasks written out, constraint layers read in.

An export has one layer per LAYERS entry, in EPSG:4490. Features arrive in batches and each batch is
appended to the file, so a large selection never sits in memory whole. Every layer is created, empty or
not, so a QGIS project built on one export opens the next.
"""
from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.errors
import pyogrio.raw
import shapely

from geo import SUPPORTED_CRS
from geo.codes import GeoCode
from server.error_codes import ServerCode
from server.errors import ApiError
from server.exports.layers import LAYERS, Feature

MEDIA_TYPE = "application/geopackage+sqlite3"
# GeoPackage 1.3: what GDAL before 3.7 (Debian 12, QGIS 3.28 LTR) reads without a warning.
DATASET_OPTIONS = {"VERSION": "1.3"}
# GDAL's time zone flag: 100 is UTC (each step of 1 is 15 minutes east of it).
GDAL_TZ_UTC = 100


def write_geopackage(path: Path, batches: Iterable[Iterable[Feature]]) -> dict[str, int]:
    """Write every batch's features to a new GeoPackage at `path`; returns the feature count by layer."""
    # The file is a fresh temporary one, discarded if anything fails: SQLite need not fsync each commit.
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    counts: dict[str, int] = {}
    for batch in batches:
        by_layer: dict[str, list[Feature]] = defaultdict(list)
        for feature in batch:
            by_layer[feature.layer].append(feature)
        for layer in (LAYERS if not counts else by_layer):
            _write(path, layer, by_layer[layer], append=layer in counts,
                   dataset_options=None if counts else DATASET_OPTIONS)
            counts[layer] = counts.get(layer, 0) + len(by_layer[layer])
    for layer in LAYERS if not counts else ():
        _write(path, layer, [], append=False, dataset_options=DATASET_OPTIONS)
        counts[layer] = 0
    return counts


def _write(path: Path, layer_name: str, features: list[Feature], *, append: bool,
           dataset_options: dict | None = None) -> None:
    layer = LAYERS[layer_name]
    names = [name for name, _ in layer.all_fields]
    columns, masks, tz_offsets = [], [], {}
    for name, kind in layer.all_fields:
        values = [feature.properties.get(name) for feature in features]
        column, mask = _column(values, kind)
        columns.append(column)
        masks.append(mask)
        if kind == "datetime":
            tz_offsets[name] = np.full(len(values), GDAL_TZ_UTC, dtype=np.int32)
    geometry = np.array([shapely.to_wkb(feature.geometry) for feature in features], dtype=object)
    pyogrio.raw.write(str(path), geometry, columns, names, field_mask=masks, layer=layer_name, driver="GPKG",
                      geometry_type=layer.geometry_type, crs="EPSG:4490", append=append, promote_to_multi=False,
                      gdal_tz_offsets=tz_offsets, dataset_options=dataset_options,
                      layer_options={"DESCRIPTION": layer.title})


def _column(values: list, kind: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A column of one attribute type, and the mask of its nulls (None when it has none)."""
    missing = np.array([value is None for value in values], dtype=bool)
    mask = missing if missing.any() else None
    if kind == "str":
        return np.array(values, dtype=object), mask
    if kind == "float":
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64), mask
    if kind == "int":
        return np.array([0 if v is None else v for v in values], dtype=np.int64), mask
    if kind == "bool":
        return np.array([bool(v) for v in values], dtype=bool), mask
    utc = [None if v is None else v.astimezone(UTC).replace(tzinfo=None) for v in values]
    return np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "ms") for v in utc],
                    dtype="datetime64[ms]"), mask


SQLITE_HEADER = b"SQLite format 3\x00"


def read_geopackage(content: Iterable[bytes], source_layer: str | None, *,
                    max_features: int) -> tuple[str, list[dict]]:
    """The CRS name and GeoJSON Features of one layer of an uploaded GeoPackage; 422 naming what is wrong."""
    with tempfile.NamedTemporaryFile(suffix=".gpkg") as upload:
        for block in content:
            upload.write(block)
        upload.flush()
        path = upload.name
        with open(path, "rb") as head:
            if head.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise ApiError(GeoCode.INVALID_GEOPACKAGE, "the upload is not a GeoPackage (an SQLite file)")
        try:
            layers = [str(name) for name, geometry_type in pyogrio.list_layers(path) if geometry_type]
        except pyogrio.errors.DataSourceError as error:
            raise ApiError(GeoCode.INVALID_GEOPACKAGE, f"GDAL cannot open the GeoPackage: {error}") from None
        layer = _chosen_layer(layers, source_layer)
        info = pyogrio.read_info(path, layer=layer)
        crs = _supported_crs(info["crs"], layer)
        if info["features"] > max_features:
            raise ApiError(ServerCode.TOO_MANY_FEATURES,
                           f"layer {layer} holds {info['features']} features, more than the {max_features} "
                           "one import takes", field="source_layer",
                           details={"features": int(info["features"]), "limit": max_features})
        meta, _, geometries, columns = pyogrio.raw.read(path, layer=layer)
    names = [str(name) for name in meta["fields"]]
    return crs, [{"type": "Feature", "geometry": None if wkb is None else json.loads(shapely.to_geojson(
                  shapely.from_wkb(wkb))),
                  "properties": {name: _plain(column[i]) for name, column in zip(names, columns, strict=True)}}
                 for i, wkb in enumerate(geometries)]


def _chosen_layer(layers: list[str], source_layer: str | None) -> str:
    if source_layer is not None:
        if source_layer not in layers:
            raise ApiError(ServerCode.UNKNOWN_LAYER, f"the GeoPackage has no vector layer {source_layer!r}",
                           field="source_layer", details={"layers": layers})
        return source_layer
    if len(layers) != 1:
        raise ApiError(ServerCode.SOURCE_LAYER_REQUIRED,
                       f"the GeoPackage holds {len(layers)} vector layers; name one as source_layer",
                       field="source_layer", details={"layers": layers})
    return layers[0]


def _supported_crs(crs: str | None, layer: str) -> str:
    if crs is None or crs.upper() not in SUPPORTED_CRS or not crs.upper().startswith("EPSG:"):
        raise ApiError(GeoCode.UNSUPPORTED_CRS,
                       f"layer {layer} is in {crs or 'no declared CRS'}; reproject it to EPSG:4490 first", field="crs",
                       details={"crs": crs, "accepted": [ "EPSG:4490", "EPSG:4326", "EPSG:4513..EPSG:4554"]})
    return crs.upper()


def _plain(value):
    """A numpy scalar as the Python value JSON holds."""
    return value.item() if isinstance(value, np.generic) else value
