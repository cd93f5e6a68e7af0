"""The migrations build exactly the schema the models describe, and import nothing of the application."""
import ast

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from server import migrate
from server.models import Base

VERSIONS = migrate.MIGRATIONS / "versions"
APPLICATION_PACKAGES = {"server", "sync", "geo", "policy", "schemas", "field_forms"}


def _include_object(obj, name, type_, reflected, compare_to):
    # PostGIS's own tables (spatial_ref_sys) are not ours; GeoAlchemy2 names its GiST indexes itself.
    return not (type_ == "table" and reflected and compare_to is None)


# SQLAlchemy cannot reflect xid8 (the change feed's column); the column itself is still compared by name.
@pytest.mark.filterwarnings("ignore:Did not recognize type .xid8.")
def test_a_fresh_database_migrated_to_head_matches_the_models(migrated):
    engine = create_engine(migrate.normalise_url(migrated))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _include_object,
                                                               "compare_type": True})
        drift = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert drift == []


def test_migrations_import_nothing_of_the_application():
    for path in sorted(VERSIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & APPLICATION_PACKAGES, f"{path.name} imports {roots & APPLICATION_PACKAGES}"


def test_the_revision_chain_is_linear():
    revisions = [ast.literal_eval(next(n.value for n in ast.parse(p.read_text()).body
                                       if isinstance(n, ast.Assign) and n.targets[0].id == "down_revision"))
                 for p in sorted(VERSIONS.glob("*.py"))]
    assert revisions[0] is None
    assert len(set(revisions)) == len(revisions), "two migrations share a parent: renumber one onto the head"
    assert migrate.head_revision() == sorted(VERSIONS.glob("*.py"))[-1].name.split("_")[0]
