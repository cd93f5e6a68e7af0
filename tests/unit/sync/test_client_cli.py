"""`tapline-client` without a server: setup, offline edits into the outbox, status."""
import json

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
