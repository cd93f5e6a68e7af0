"""The pull cursor: what `encode` wrote decodes back; anything else is `invalid_cursor`, never an exception."""
import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.cursor import BIGINT_LIMIT, Cursor
from sync.errors import ProtocolError

counters = st.integers(min_value=0, max_value=BIGINT_LIMIT - 1)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                           lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=10)


def token_of(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@given(counters, counters, st.text())
def test_what_encode_writes_decodes_back(xid, seq, digest):
    cursor = Cursor(xid, seq, digest)
    assert Cursor.decode(cursor.encode()) == cursor


@given(st.fixed_dictionaries({"x": json_values, "s": json_values, "r": json_values}) | json_values)
def test_any_other_json_is_invalid_cursor_or_a_cursor_in_range(value):
    try:
        cursor = Cursor.decode(token_of(json.dumps(value)))
    except ProtocolError as error:
        assert error.code == "invalid_cursor"
    else:
        assert 0 <= cursor.xid < BIGINT_LIMIT and 0 <= cursor.seq < BIGINT_LIMIT


@pytest.mark.parametrize("raw", [
    '{"x":1e400,"s":0,"r":""}',  # float('inf'): int() of it overflows
    '{"x":NaN,"s":0,"r":""}',
    '{"x":1.5,"s":0,"r":""}',
    '{"x":true,"s":0,"r":""}',
    f'{{"x":{2**63},"s":0,"r":""}}',  # past bigint, the database would refuse it
    '{"x":-1,"s":0,"r":""}',
    '{"x":0,"s":0,"r":null}',
    "[" * 5000 + "]" * 5000,
])
def test_values_encode_never_writes_are_refused(raw):
    with pytest.raises(ProtocolError) as refused:
        Cursor.decode(token_of(raw))
    assert refused.value.code == "invalid_cursor"


@given(st.text())
def test_any_string_is_invalid_cursor_or_a_cursor(token):
    try:
        Cursor.decode(token)
    except ProtocolError as error:
        assert error.code == "invalid_cursor"
