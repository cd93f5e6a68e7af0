"""GeoJSON (RFC 7946) FeatureCollections: lon/lat in EPSG:4490 (coincident with WGS84), no `crs` member.

Polygons follow the right-hand rule (exterior rings counter-clockwise), as RFC 7946 §3.1.6 asks.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import shapely
from shapely.geometry.base import BaseGeometry

import geo
from server.exports.layers import Feature, json_value

MEDIA_TYPE = "application/geo+json"


def geometry_json(geometry: BaseGeometry) -> dict:
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        geometry = shapely.orient_polygons(geometry, exterior_cw=False)
    return geo.to_geojson(geometry)


def feature_json(feature: Feature) -> dict:
    return {"type": "Feature", "id": f"{feature.layer}.{feature.id}", "geometry": geometry_json(feature.geometry),
            "properties": {"layer": feature.layer,
                           **{name: json_value(value) for name, value in feature.properties.items()}}}


def collection(features: Iterable[Feature], **foreign_members) -> dict:
    """A FeatureCollection; `foreign_members` (RFC 7946 §6.1) describe the whole, such as its name."""
    return {"type": "FeatureCollection", **foreign_members, "features": [feature_json(f) for f in features]}


def stream_collection(features: Iterable[Feature], **foreign_members) -> Iterator[str]:
    """The same FeatureCollection as text, one feature at a time, for selections too large to hold."""
    head = json.dumps({"type": "FeatureCollection", **foreign_members}, ensure_ascii=False)
    yield head[:-1] + ', "features": ['
    for i, feature in enumerate(features):
        yield ("," if i else "") + "\n" + json.dumps(feature_json(feature), ensure_ascii=False)
    yield "\n]}\n"
