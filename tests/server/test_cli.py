"""The `tapline` command: its own grouped help, no Flask development commands, one-line errors."""
import os
import subprocess
import sys

from click.testing import CliRunner

from server.cli import main

TAPLINE = os.path.join(os.path.dirname(sys.executable), "tapline")


def test_the_help_groups_the_commands_and_shows_examples():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    sections = [line for line in result.output.splitlines() if line and not line.startswith(" ")]
    assert sections[-3:] == ["Run:", "Set up:", "Jobs by hand (the worker runs them on schedule):"]
    assert "tapline tenant create --slug" in result.output and "DATABASE_URL" in result.output


def test_flasks_development_commands_are_not_there():
    for command in ("run", "shell", "routes"):
        result = CliRunner().invoke(main, [command])
        assert result.exit_code == 2 and f"Error: No such command '{command}'." in result.output


def test_a_missing_database_url_is_one_clear_line():
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": ""})
    assert result.exit_code == 1
    assert result.output == "Error: DATABASE_URL is not set: point it at a PostGIS database (see README)\n"


def test_an_unreachable_database_is_one_clear_line():
    """In its own process: building an app re-binds the process's database extension."""
    result = subprocess.run([TAPLINE, "sla", "sweep"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot reach the database at DATABASE_URL: ")
    assert "Traceback" not in result.stderr
