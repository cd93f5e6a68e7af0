"""The tenant's own settings (admin)."""
import re

import marshmallow as ma
from marshmallow import validate

from schemas.base import StrictSchema


def _tile_url(url: str) -> None:
    placeholders = "{x}" in url and "{z}" in url and ("{y}" in url or "{-y}" in url)
    if not (re.fullmatch(r"https?://\S+", url) and placeholders):
        raise ma.ValidationError("an http(s) tile URL with {z}, {x} and {y} (or {-y}) placeholders")


class BasemapSchema(StrictSchema):
    url = ma.fields.String(required=True, allow_none=True, validate=[validate.Length(max=500), _tile_url], metadata={
        "example": "https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=YOUR_KEY",
        "description": "XYZ tiles the console draws under its maps, with {z}, {x} and {y} (or {-y}) placeholders; "
                       "null: a plain background with a scale bar",
        "pattern": r"^https?://\S+$"})
    gcj02 = ma.fields.Boolean(load_default=False, metadata={
        "description": "the tiles are in GCJ-02 (AMap, Tencent): the console shifts the overlays onto them"})
