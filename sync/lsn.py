"""WAL positions as PostgreSQL prints them (`16/B374D848`): the read-your-writes token of the protocol."""


def parse_lsn(value: str) -> int:
    """The position as one integer, to compare; ValueError when `value` is not one."""
    high, slash, low = value.partition("/")
    if not slash or not (0 < len(high) <= 8 and 0 < len(low) <= 8):
        raise ValueError(f"not a WAL position: {value!r}")
    return (int(high, 16) << 32) | int(low, 16)


def format_lsn(lsn: int) -> str:
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"
