import pytest

from sync.lsn import format_lsn, parse_lsn


@pytest.mark.parametrize("text", ["0/0", "0/16B3748", "16/B374D848", "FFFFFFFF/FFFFFFFF"])
def test_a_position_survives_the_round_trip(text):
    assert format_lsn(parse_lsn(text)) == text


def test_positions_order_by_log_file_then_offset():
    assert parse_lsn("0/FFFFFFFF") < parse_lsn("1/0") < parse_lsn("1/10")


@pytest.mark.parametrize("text", ["", "16", "/1", "1/", "G/1", "123456789/0"])
def test_anything_else_is_rejected(text):
    with pytest.raises(ValueError):
        parse_lsn(text)
