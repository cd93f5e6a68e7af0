"""survey main: the municipal main a survey's route leaves from

Revision ID: 0013
Revises: 0012
"""
import geoalchemy2
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("surveys", sa.Column("main", geoalchemy2.types.Geometry(
        geometry_type="LINESTRING", srid=4490, dimension=2, spatial_index=False, from_text="ST_GeomFromEWKT",
        name="geometry"), nullable=True))


def downgrade() -> None:
    op.drop_column("surveys", "main")
