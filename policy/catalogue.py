"""The facts a request may carry: their names, kinds, allowed values and how they are compared.

One table, read by the request parser (what is accepted), the profile loader (what a rule may read) and
the API docs (``FACT_NAMES``). A new fact is a new row here; a new city is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from types import MappingProxyType


class FactKind(Enum):
    """How a fact's value is parsed and what a rule may do with it."""

    CHOICE = "choice"          # one string of a closed list
    BOOLEAN = "boolean"
    DN = "dn"                  # nominal diameter, mm, from the standard series
    QUANTITY = "quantity"      # a non-negative decimal measured in the field
    INSTANT = "instant"        # an event with its UTC offset: a deadline's anchor
    CROSSINGS = "crossings"    # [{layer, name}] as the measure endpoint returns them


# GB/T 1047 nominal sizes used for water and gas service pipes and meters.
DN_SERIES = (15, 20, 25, 32, 40, 50, 65, 80, 100, 125, 150, 200, 250, 300, 350, 400, 450, 500,
             600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800, 2000)

# Lengths are compared to the centimetre, areas to the hundredth of a square metre (DESIGN).
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class FactSpec:
    """One fact: its name, kind, a line for the API docs, and how a rule compares it."""

    name: str
    kind: FactKind
    description: str
    choices: tuple[str, ...] = ()
    quantum: Decimal | None = None       # rounded half-up to this step before any comparison
    accuracy_fact: str | None = None     # the fact stating this measurement's ± accuracy
    comparable: bool = True              # may a rule's condition read it

    def compared(self, value):
        """The value a rule compares: a measured quantity rounded half-up to its quantum."""
        if self.quantum is None:
            return value
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)


def _choice(name: str, choices: tuple[str, ...], description: str) -> FactSpec:
    return FactSpec(name, FactKind.CHOICE, description, choices=choices)


def _flag(name: str, description: str) -> FactSpec:
    return FactSpec(name, FactKind.BOOLEAN, description)


def _event(name: str, description: str) -> FactSpec:
    return FactSpec(name, FactKind.INSTANT, description, comparable=False)


def _accuracy(name: str, description: str) -> FactSpec:
    return FactSpec(name, FactKind.QUANTITY, description, quantum=HUNDREDTH, comparable=False)


UTILITIES = ("water", "gas")
BUSINESS_TYPES = ("new", "expansion", "temporary")
CUSTOMER_CLASSES = ("enterprise", "small_commercial", "residential", "scattered_household")
CHANNELS = ("online", "counter", "platform")

_SPECS = (
    _choice("utility", UTILITIES, "Which utility the connection is for: water | gas."),
    _choice("business_type", BUSINESS_TYPES,
            "new | expansion | temporary (新装 / 扩容 / 临时)."),
    _choice("customer_class", CUSTOMER_CLASSES,
            "enterprise | small_commercial | residential | scattered_household "
            "(企业 / 小微商户 / 居民 / 零星户)."),
    _choice("channel", CHANNELS,
            "How the request arrived: online (government service portal, app, WeChat) | counter "
            "(a service window) | platform (pushed by a government platform such as 工改, no application)."),
    FactSpec("meter_dn", FactKind.DN, "Meter nominal diameter in mm, a standard DN (15, 20, 25, 32, 40, 50 …)."),
    FactSpec("pipe_dn", FactKind.DN, "Nominal diameter in mm of the outer works' pipe, a standard DN."),
    FactSpec("outside_length_m", FactKind.QUANTITY,
             "Route length outside the red line (外线), metres, ≥ 0; compared after rounding half-up to 0.01 m.",
             quantum=HUNDREDTH, accuracy_fact="outside_length_accuracy_m"),
    _accuracy("outside_length_accuracy_m",
              "Stated accuracy (±) of outside_length_m in metres (GNSS fix, tape); feeds near_threshold."),
    FactSpec("green_area_m2", FactKind.QUANTITY,
             "Green space the outer works occupy or clear (占用或伐移绿化), m², ≥ 0; compared after rounding "
             "half-up to 0.01 m².",
             quantum=HUNDREDTH, accuracy_fact="green_area_accuracy_m2"),
    _accuracy("green_area_accuracy_m2", "Stated accuracy (±) of green_area_m2 in m²; feeds near_threshold."),
    FactSpec("crossings", FactKind.CROSSINGS,
             "Facilities the outer route crosses, as POST /geo/measure returns them: a list of "
             "{layer, name}; [] when it crosses none.",
             comparable=False),
    _flag("conditions_met",
          "The connection conditions the tenant's notice names are met: for water, the main is laid to the "
          "red line and quantity, pressure and quality suffice (具备接水条件); for gas, the area's pressure "
          "meets the design (燃气区域压力满足设计要求)."),
    _flag("pre_service", "Engaged before the application, at the land-transfer stage (前置服务)."),
    _flag("tree_felling", "The outer works fell or move city trees (砍伐、迁移城市树木)."),
    _flag("traffic_safety_impact", "The outer works affect traffic safety (影响交通安全)."),
    _event("pushed_at", "When a government platform (工改, 多规合一) pushed the project's early information."),
    _event("applied_at", "When the application reached the utility (报装申请)."),
    _event("surveyed_at", "When the joint survey was done (联合踏勘)."),
    _event("agreement_at", "When the fee or connection agreement was settled (费用核定, 合同)."),
    _event("work_order_at", "When the work order reached the construction team (任务单)."),
    _event("completed_at", "When construction was completed (完工)."),
    _event("connected_at", "When water or gas went on (通水 / 通气)."),
)

FACTS: MappingProxyType[str, FactSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})

#: Every fact a request may carry, with the line the API docs show for it.
FACT_NAMES: MappingProxyType[str, str] = MappingProxyType({spec.name: spec.description for spec in _SPECS})

#: The events a deadline may be anchored to.
ANCHOR_EVENTS = frozenset(name for name, spec in FACTS.items() if spec.kind is FactKind.INSTANT)
