"""DN from a measured outside diameter: the national pipe tables (``geo/pipe_sizes.toml``) and the lookup.

Crews measure a pipe with a tape round it (the circumference) or callipers across it, not its DN. Each
material's table gives, per DN, the outside diameter and the band its standard's tolerance allows; a
measurement proposes the size whose band (widened by the measurement's own accuracy) holds it.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import Any

from domain_errors import CommonCode
from geo.codes import GeoCode
from geo.errors import GeometryError

#: What a tape round a pipe and a diameter read off callipers or a tape are good to, unless the crew says.
DEFAULT_ACCURACY_MM = {"circumference_mm": Decimal("2"), "outside_diameter_mm": Decimal("1")}
HUNDREDTH = Decimal("0.01")
PI = Decimal(str(math.pi))


@dataclass(frozen=True)
class PipeSize:
    """One row of a table: DN (None where the material has no customary one), dn of a plastic pipe, the
    specified outside diameter and the band the standard allows, in mm."""

    dn: int | None
    de: int | None
    od_mm: Decimal
    min_mm: Decimal
    max_mm: Decimal

    def holds(self, od_mm: Decimal, accuracy_mm: Decimal) -> bool:
        return self.min_mm - accuracy_mm <= od_mm <= self.max_mm + accuracy_mm

    def to_dict(self) -> dict[str, Any]:
        return {"dn": self.dn, "de": self.de, "outside_diameter_mm": str(self.od_mm),
                "tolerance": {"min_mm": str(self.min_mm), "max_mm": str(self.max_mm)}}


@dataclass(frozen=True)
class PipeTable:
    """A material's sizes from its standard, and the words it goes by on a survey (``PE100``, ``镀锌钢管``)."""

    material: str
    name_zh: str
    name_en: str
    standard: str
    title: str
    aliases: tuple[str, ...]
    tolerance: str
    dn_note: str
    sizes: tuple[PipeSize, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"material": self.material, "name_zh": self.name_zh, "name_en": self.name_en,
                "standard": self.standard, "title": self.title, "aliases": list(self.aliases),
                "tolerance": self.tolerance, "dn_note": self.dn_note,
                "sizes": [size.to_dict() for size in self.sizes]}


@dataclass(frozen=True)
class DnProposal:
    """What a measurement says: the sizes whose band holds it, and the nearest size whatever it is."""

    table: PipeTable
    measured_od_mm: Decimal
    accuracy_mm: Decimal
    matches: tuple[PipeSize, ...]
    nearest: PipeSize

    @property
    def status(self) -> str:
        """``match`` (one size), ``ambiguous`` (several: measure again) or ``none`` (no size of this material)."""
        return {0: "none", 1: "match"}.get(len(self.matches), "ambiguous")

    @property
    def proposed(self) -> PipeSize | None:
        if not self.matches:
            return None
        return min(self.matches, key=lambda size: abs(size.od_mm - self.measured_od_mm))

    def agrees_with(self, declared_dn: int) -> bool | None:
        """Whether a declared DN is one the measurement allows; None when the measurement fits no size."""
        return None if not self.matches else any(size.dn == declared_dn for size in self.matches)

    def to_dict(self) -> dict[str, Any]:
        proposed = self.proposed
        return {"material": self.table.material, "standard": self.table.standard,
                "measured_outside_diameter_mm": str(self.measured_od_mm), "accuracy_mm": str(self.accuracy_mm),
                "status": self.status, "proposed": proposed.to_dict() if proposed else None,
                "deviation_mm": str(self.measured_od_mm - (proposed or self.nearest).od_mm),
                "matches": [size.to_dict() for size in self.matches], "nearest": self.nearest.to_dict()}


@cache
def pipe_tables() -> dict[str, PipeTable]:
    """The tables shipped in ``geo/pipe_sizes.toml``, by material."""
    raw = tomllib.loads((files("geo") / "pipe_sizes.toml").read_text(encoding="utf-8"))
    tables = [PipeTable(material=table["material"], name_zh=table["name_zh"], name_en=table["name_en"],
                        standard=table["standard"], title=table["title"], aliases=tuple(table["aliases"]),
                        tolerance=table["tolerance"], dn_note=table["dn_note"],
                        sizes=tuple(PipeSize(dn=size.get("dn"), de=size.get("de"), od_mm=Decimal(size["od"]),
                                             min_mm=Decimal(size["min"]), max_mm=Decimal(size["max"]))
                                    for size in table["sizes"]))
              for table in raw["tables"]]
    return {table.material: table for table in tables}


def table_for(material: str) -> PipeTable | None:
    """The table a survey's material names (its key or an alias, any case); None when none does."""
    wanted = material.strip().lower()
    return next((table for table in pipe_tables().values()
                 if wanted == table.material or wanted in table.aliases), None)


def propose_dn(material: str, *, outside_diameter_mm: Any = None, circumference_mm: Any = None,
               accuracy_mm: Any = None, field_prefix: str = "") -> DnProposal:
    """The DN a measured outside diameter (or circumference) of a pipe of ``material`` proposes.

    ``accuracy_mm`` is the ± of the quantity measured (default: 2 mm round, 1 mm across). Raises
    GeometryError ``unknown_material``, ``measurement_required`` or ``invalid_value`` naming the field.
    """
    table = table_for(material) if isinstance(material, str) else None
    if table is None:
        raise GeometryError(GeoCode.UNKNOWN_MATERIAL, f"no pipe table for material {material!r}",
                            field=f"{field_prefix}material",
                            details={"allowed": sorted({a for t in pipe_tables().values() for a in (t.material,
                                                                                                  *t.aliases)})})
    given = {name: value for name, value in (("outside_diameter_mm", outside_diameter_mm),
                                             ("circumference_mm", circumference_mm)) if value is not None}
    if len(given) != 1:
        raise GeometryError(GeoCode.MEASUREMENT_REQUIRED, "give exactly one of outside_diameter_mm or circumference_mm",
                            field=f"{field_prefix}outside_diameter_mm", details={"given": sorted(given)})
    [(name, value)] = given.items()
    measured = _positive(value, f"{field_prefix}{name}")
    accuracy = (DEFAULT_ACCURACY_MM[name] if accuracy_mm is None
                else _positive(accuracy_mm, f"{field_prefix}accuracy_mm", allow_zero=True))
    if name == "circumference_mm":
        measured, accuracy = measured / PI, accuracy / PI
    measured, accuracy = measured.quantize(HUNDREDTH, ROUND_HALF_UP), accuracy.quantize(HUNDREDTH, ROUND_HALF_UP)
    matches = tuple(size for size in table.sizes if size.holds(measured, accuracy))
    nearest = min(table.sizes, key=lambda size: abs(size.od_mm - measured))
    return DnProposal(table, measured, accuracy, matches, nearest)


def check_segments(segments: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each measured segment's declared DN against its measurement; ``flag: dn_disagrees`` where they differ.

    Segments without a measurement are left out. The declared DN stays what decides (the policy reads it);
    this is what an engineer checks beside it.
    """
    checked = []
    for index, segment in enumerate(segments):
        if segment.get("outside_diameter_mm") is None and segment.get("circumference_mm") is None:
            continue
        entry: dict[str, Any] = {"segment": index, "declared_dn": segment["dn"], "material": segment["material"]}
        if table_for(segment["material"]) is None:
            checked.append({**entry, "flag": "unknown_material", "proposal": None})
            continue
        proposal = propose_dn(segment["material"], outside_diameter_mm=segment.get("outside_diameter_mm"),
                              circumference_mm=segment.get("circumference_mm"),
                              accuracy_mm=segment.get("measurement_accuracy_mm"), field_prefix=f"segments[{index}].")
        agrees = proposal.agrees_with(segment["dn"])
        flag = {True: None, False: "dn_disagrees", None: "not_in_table"}[agrees]
        checked.append({**entry, "flag": flag, "proposal": proposal.to_dict()})
    return checked


def _positive(value: Any, field: str, *, allow_zero: bool = False) -> Decimal:
    try:
        number = None if isinstance(value, bool) else Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        raise GeometryError(CommonCode.INVALID_VALUE, f"{field} must be a positive number of millimetres", field=field,
                            details={"value": value if isinstance(value, (int, float, str)) else None})
    return number
