"""Three-way field merge: concurrent edits to different fields merge, to the same field conflict."""
import pytest

from sync.merge import APPLIED, CONFLICT, DELETED, MERGED, merge_delete, merge_update

RECORD = {"notes": "server note", "meter_dn": 40, "pipe_dn": 100}
# version 3: notes changed at v3, meter_dn at v2, pipe_dn at v1
FIELD_VERSIONS = {"notes": 3, "meter_dn": 2, "pipe_dn": 1}


def test_edit_from_the_current_version_applies():
    outcome = merge_update(RECORD, FIELD_VERSIONS, 3, 3, {"notes": "device note"})
    assert outcome.result == APPLIED
    assert outcome.changes == {"notes": "device note"}


def test_edit_of_a_field_the_server_left_alone_merges():
    outcome = merge_update(RECORD, FIELD_VERSIONS, 3, 2, {"pipe_dn": 150})
    assert outcome.result == MERGED
    assert outcome.changes == {"pipe_dn": 150}
    assert outcome.conflicts == ()


def test_same_field_changed_on_both_sides_conflicts_and_keeps_both_values():
    outcome = merge_update(RECORD, FIELD_VERSIONS, 3, 2, {"notes": "device note", "pipe_dn": 150})
    assert outcome.result == CONFLICT
    assert outcome.changes == {"pipe_dn": 150}
    (conflict,) = outcome.conflicts
    assert (conflict.field, conflict.server_value, conflict.device_value) == ("notes", "server note", "device note")


def test_both_sides_writing_the_same_value_is_no_conflict():
    outcome = merge_update(RECORD, FIELD_VERSIONS, 3, 1, {"notes": "server note"})
    assert outcome.result == MERGED
    assert outcome.changes == {}


def test_conflict_details_come_from_the_describer():
    outcome = merge_update(RECORD, FIELD_VERSIONS, 3, 2, {"notes": "x"},
                           describe=lambda name, s, d: {"field": name, "lengths": [len(s), len(d)]})
    assert outcome.conflicts[0].details == {"field": "notes", "lengths": [11, 1]}


def test_editing_a_record_deleted_on_the_server_is_a_conflict():
    outcome = merge_update(RECORD, FIELD_VERSIONS, 4, 3, {"notes": "device note"}, deleted=True)
    assert outcome.result == CONFLICT
    assert outcome.conflicts[0].field == DELETED
    assert outcome.conflicts[0].device_value == {"notes": "device note"}


@pytest.mark.parametrize("base,result", [(3, APPLIED), (2, CONFLICT)])
def test_delete_conflicts_only_with_server_edits_after_the_base(base, result):
    outcome = merge_delete(FIELD_VERSIONS, 3, base, RECORD)
    assert outcome.result == result
    if result == CONFLICT:
        assert outcome.conflicts[0].server_value == {"notes": "server note"}
