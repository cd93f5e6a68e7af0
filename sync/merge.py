"""Field-level three-way merge of a device's edit into the server's record (pure).

The server keeps, per record, the version that last changed each field (`field_versions`). A device
edits from `base_version`. A field the server changed after that base and the device changed too is a
conflict, unless both wrote the same value; every other field merges. Nothing the device sent is
dropped: a conflicting value is kept in the conflict for a person to resolve.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

APPLIED, MERGED, CONFLICT = "applied", "merged", "conflict"
DELETED = "_deleted"


@dataclass(frozen=True)
class FieldConflict:
    field: str
    server_value: Any
    device_value: Any
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MergeOutcome:
    """What to write (`changes`), what conflicts, and the push result (applied | merged | conflict)."""

    changes: dict[str, Any]
    conflicts: tuple[FieldConflict, ...]
    result: str


def merge_update(current: Mapping[str, Any], field_versions: Mapping[str, int], version: int, base_version: int,
                 incoming: Mapping[str, Any], *, deleted: bool = False,
                 describe: Callable[[str, Any, Any], dict] | None = None) -> MergeOutcome:
    """Merge `incoming` field values edited from `base_version` into a record now at `version`.

    `describe(field, server_value, device_value)` adds details to a conflict (e.g. how far a geometry moved).
    Editing a record the server deleted after the base is a conflict on `_deleted`, never a silent loss.
    """
    changes: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    if deleted:
        conflicts.append(FieldConflict(DELETED, True, dict(incoming)))
        return MergeOutcome({}, tuple(conflicts), CONFLICT)
    for name, value in incoming.items():
        changed_on_server = field_versions.get(name, 0) > base_version
        if changed_on_server and current.get(name) != value:
            details = describe(name, current.get(name), value) if describe else {}
            conflicts.append(FieldConflict(name, current.get(name), value, details))
        elif current.get(name) != value:
            changes[name] = value
    if conflicts:
        result = CONFLICT
    elif base_version < version:
        result = MERGED
    else:
        result = APPLIED
    return MergeOutcome(changes, tuple(conflicts), result)


def merge_delete(field_versions: Mapping[str, int], version: int, base_version: int,
                 current: Mapping[str, Any]) -> MergeOutcome:
    """A device deletes a record: a conflict when the server changed it after the device's base."""
    if base_version < version:
        changed = sorted(name for name, v in field_versions.items() if v > base_version)
        return MergeOutcome({}, (FieldConflict(DELETED, {n: current.get(n) for n in changed}, True),), CONFLICT)
    return MergeOutcome({DELETED: True}, (), APPLIED)
