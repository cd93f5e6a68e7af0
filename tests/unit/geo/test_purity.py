"""geo is pure: importing it pulls in no web framework, database layer or other Tapline package."""

import subprocess
import sys

FORBIDDEN = ("flask", "flask_smorest", "sqlalchemy", "geoalchemy2", "alembic", "marshmallow",
             "server", "sync", "schemas", "policy", "field_forms")


def test_importing_geo_loads_nothing_forbidden():
    probe = ("import sys, geo; "
             f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
