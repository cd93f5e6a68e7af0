"""`tapline-client` without a server: setup, offline edits into the outbox, status."""
import json

import pytest

from sync.client import LocalStore
from sync.client.cli import main


def test_offline_edits_wait_in_the_outbox(tmp_path, capsys):
    db = str(tmp_path / "tablet.sqlite")
    assert main(["--db", db, "status"]) == 2  # not set up yet
    assert main(["--db", db, "init", "--server", "http://127.0.0.1:9", "--token", "tpl_x"]) == 0
    assert main(["--db", db, "edit", "survey", "5b0f3f0e-7d3c-4c84-9a31-0b1f0e9d2a11",
                 'notes="阀门井在人行道下"', "meter_dn=32"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "status"]) == 0
    assert json.loads(capsys.readouterr().out)["outbox"] == 1


def test_no_signal_is_reported_and_loses_nothing(tmp_path, capsys):
    db = str(tmp_path / "tablet.sqlite")
    main(["--db", db, "init", "--server", "http://127.0.0.1:9", "--token", "tpl_x"])
    main(["--db", db, "edit", "survey", "5b0f3f0e-7d3c-4c84-9a31-0b1f0e9d2a11", "meter_dn=32"])
    assert main(["--db", db, "push"]) == 1  # nothing listens on port 9
    assert "nothing was lost" in capsys.readouterr().err
    main(["--db", db, "status"])
    assert json.loads(capsys.readouterr().out)["outbox"] == 1


SURVEY = "5b0f3f0e-7d3c-4c84-9a31-0b1f0e9d2a11"


def pulled(store: LocalStore, version: int, **data) -> None:
    store.apply_change({"type": "survey", "id": SURVEY, "op": "upsert", "version": version,
                        "data": {"id": SURVEY, "task_id": "t1", "utility": "water", **data}})


def test_an_edit_keeps_the_version_the_user_saw_not_the_one_at_sending(tmp_path):
    store = LocalStore(tmp_path / "tablet.sqlite")
    pulled(store, 1, notes="原")
    store.enqueue("survey", SURVEY, "update", {"notes": "一"})
    pulled(store, 4, notes="别人改过")  # a pull between the edits
    store.enqueue("survey", SURVEY, "update", {"meter_dn": 32})
    assert [m["base_version"] for m in store.pending("survey", SURVEY)] == [1, 4]
    # What is sent is what was queued, whenever it is sent.
    assert store.next_batch(10)[0]["base_version"] == 1


def test_show_is_the_pulled_record_with_pending_edits_on_top(tmp_path, capsys):
    db = str(tmp_path / "tablet.sqlite")
    main(["--db", db, "init", "--server", "http://127.0.0.1:9", "--token", "tpl_x"])
    pulled(LocalStore(db), 3, notes="原", meter_dn=25)
    main(["--db", db, "edit", "survey", SURVEY, "meter_dn=40"])
    capsys.readouterr()
    assert main(["--db", db, "show", "survey", SURVEY]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["version"], shown["data"]["meter_dn"], shown["data"]["notes"]) == (3, 40, "原")
    assert [(p["base_version"], p["fields"]) for p in shown["pending"]] == [(3, {"meter_dn": 40})]
    assert main(["--db", db, "show", "survey", "00000000-0000-0000-0000-000000000000"]) == 2


@pytest.mark.parametrize(("filters", "expected"), [
    ([], ["a", "b", "c"]),
    (["--where", "utility=gas"], ["b"]),
    (["--where", "utility=water", "--where", "meter_dn=40"], ["c"]),
    (["--where", "notes=null"], ["a", "b"]),
    (["--where", "utility=steam"], []),
])
def test_list_filters_records_by_field(tmp_path, capsys, filters, expected):
    db = str(tmp_path / "tablet.sqlite")
    main(["--db", db, "init", "--server", "http://127.0.0.1:9", "--token", "tpl_x"])
    store = LocalStore(db)
    for record_id, utility, meter_dn, notes in (("a", "water", 25, None), ("b", "gas", 40, None),
                                                ("c", "water", 40, "x")):
        store.apply_change({"type": "survey", "id": record_id, "op": "upsert", "version": 1,
                            "data": {"id": record_id, "utility": utility, "meter_dn": meter_dn, "notes": notes}})
    capsys.readouterr()
    assert main(["--db", db, "list", "survey", *filters]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == expected


def test_bad_arguments_are_a_message_not_a_traceback(tmp_path, capsys):
    db = str(tmp_path / "tablet.sqlite")
    main(["--db", db, "init", "--server", "http://127.0.0.1:9", "--token", "tpl_x"])
    assert main(["--db", db, "edit", "survey", SURVEY, "no-equals-sign"]) == 2
    assert main(["--db", db, "list", "survey", "--where", "a.b=1"]) == 2
    assert main(["--db", db, "upload", str(tmp_path / "missing.jpg")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "examples:" in text and "tapline-client --db tablet.sqlite show survey" in text
