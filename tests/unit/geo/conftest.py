"""Sites in the five seed cities and builders of measure requests laid out in metres."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pyproj
import pytest

GRS80 = pyproj.Geod(ellps="GRS80")

CITIES = {
    "suizhou": (113.37, 31.69),
    "jingmen": (112.20, 31.03),
    "wuhu": (118.38, 31.33),
    "xinzheng": (113.74, 34.39),
    "sanya": (109.51, 18.25),
}


@dataclass(frozen=True)
class Site:
    """A place to lay out geometry in metres east/north of ``origin`` (lon, lat on CGCS2000)."""

    name: str
    origin: tuple[float, float]

    def at(self, east_m: float, north_m: float) -> list[float]:
        """[lon, lat] of the point reached from the origin by a geodesic of that east/north extent."""
        if east_m == 0 and north_m == 0:
            return list(self.origin)
        lon, lat, _ = GRS80.fwd(self.origin[0], self.origin[1], math.degrees(math.atan2(east_m, north_m)),
                                math.hypot(east_m, north_m))
        return [lon, lat]

    def line(self, *points_m: tuple[float, float]) -> dict[str, Any]:
        return {"type": "LineString", "coordinates": [self.at(*p) for p in points_m]}

    def polygon(self, *points_m: tuple[float, float]) -> dict[str, Any]:
        """A Polygon through these points, closed for you."""
        ring = [self.at(*p) for p in points_m]
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}

    def rectangle(self, west_m: float, south_m: float, east_m: float, north_m: float) -> dict[str, Any]:
        return self.polygon((west_m, south_m), (east_m, south_m), (east_m, north_m), (west_m, north_m))

    def request(self, route: dict[str, Any] | None = None, red_line: dict[str, Any] | None = None,
                **fields: Any) -> dict[str, Any]:
        """A valid measure request body: by default a 60 m route from the west into a 40 m square parcel."""
        return {
            "crs": "EPSG:4490",
            "route": route or self.line((-40.0, 0.0), (20.0, 0.0)),
            "red_line": red_line or self.rectangle(0.0, -20.0, 40.0, 20.0),
            **fields,
        }


def geodesic_m(a: list[float], b: list[float]) -> float:
    return GRS80.inv(a[0], a[1], b[0], b[1])[2]


@pytest.fixture(params=list(CITIES), scope="session")
def site(request: pytest.FixtureRequest) -> Site:
    """One site per seed city."""
    return Site(request.param, CITIES[request.param])


@pytest.fixture(scope="session")
def suizhou() -> Site:
    return Site("suizhou", CITIES["suizhou"])


@pytest.fixture(scope="session")
def sites() -> dict[str, Site]:
    """Every seed city's site, for hypothesis tests that draw one."""
    return {name: Site(name, origin) for name, origin in CITIES.items()}


@pytest.fixture(scope="session")
def geodesic() -> Any:
    """``geodesic(a, b)``: the GRS80 geodesic distance in metres between two [lon, lat]."""
    return geodesic_m
