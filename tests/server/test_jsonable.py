"""jsonable: what orjson writes in C equals the walk it replaced, and what orjson cannot write is walked."""
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from server.services.jsonable import _walk, jsonable
from tests.factories import make_survey

SURVEY = make_survey()
VALUES = [
    pytest.param({"route": [SURVEY["route"], SURVEY["red_line"]]}, id="old and new geometry"),
    pytest.param([Decimal("12.50"), Decimal("1E+2"), Decimal("-0.005")], id="decimals"),
    pytest.param({"at": datetime(2026, 11, 25, 10, 42, tzinfo=timezone(timedelta(hours=8))),
                  "utc": datetime(2026, 11, 25, 2, 42, 0, 120, tzinfo=UTC), "naive": datetime(2026, 1, 1),
                  "day": date(2026, 10, 1)}, id="times"),
    pytest.param({"ids": (uuid.UUID(int=7), uuid.uuid4()), "tags": {"甲"}, "none": None, "ok": True}, id="mixed"),
    pytest.param({"big": 2 ** 70, "also": Decimal("1.5")}, id="integer past 64 bits"),
    pytest.param({1: "a", "b": [1.5, -0.0]}, id="key not a string"),
    pytest.param({"text": "阀门井\t\u2028", "nested": [[[1, 2], [3, 4]]]}, id="text and nesting"),
]


@pytest.mark.parametrize("value", VALUES)
def test_jsonable_equals_the_walk(value):
    assert jsonable(value) == _walk(value)


def test_a_value_json_has_no_form_for_is_left_as_it_is():
    marker = object()
    assert jsonable({"x": [marker, Decimal("2.0")]}) == {"x": [marker, "2.0"]}
