"""Exports of tasks, applications and constraint layers: GeoJSON, GeoPackage, DXF and the PDF site drawing.

Selections are gathered in batches and written as they come (GeoJSON streamed, GeoPackage appended to a
temporary file that is then streamed with its length), so no export holds a large selection in memory.
"""
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.blobstore import BlobStore
from server.errors import NotFound
from server.exports import drawing, dxf, geojson, geopackage
from server.exports.layers import Feature, task_features
from server.geometry import from_db
from server.models import Blob, ConstraintFeature
from server.services import site_sheets


@dataclass(frozen=True)
class ExportFile:
    """What a download sends: bytes, a text stream or an open file, with its type, name and (when known) size."""

    content: bytes | Iterator[str] | BinaryIO
    media_type: str
    filename: str
    size: int | None = None
    tasks: int = 1


def task_geojson(session: Session, store: BlobStore, principal, task_id: uuid.UUID) -> dict:
    sheet = site_sheets.task_sheet(session, store, principal, task_id)
    return geojson.collection(task_features(sheet), name=f"task {sheet.application_number}")


def application_geojson(session: Session, store: BlobStore, principal, application_id: uuid.UUID) -> dict:
    sheets = site_sheets.application_sheets(session, store, principal, application_id)
    return geojson.collection((f for sheet in sheets for f in task_features(sheet)),
                              name=f"application {sheets[0].application_number}")


def constraint_layer_geojson(session: Session, tenant_id: uuid.UUID, layer: str) -> dict:
    """One constraint layer of the tenant; 404 when it has no feature in it."""
    rows = session.execute(select(ConstraintFeature.id, ConstraintFeature.name, ConstraintFeature.geom)
                           .where(ConstraintFeature.tenant_id == tenant_id, ConstraintFeature.layer == layer)
                           .order_by(ConstraintFeature.name, ConstraintFeature.id)).all()
    if not rows:
        raise NotFound("constraint layer", layer)
    return geojson.collection((Feature(layer, str(fid), from_db(geom), {"name": name})
                               for fid, name, geom in rows), name=layer)


def selection_geojson(session: Session, store: BlobStore, principal, filters: dict, *, max_tasks: int) -> ExportFile:
    """The selected tasks' FeatureCollection as a text stream (422 `export_too_large` past `max_tasks`)."""
    total = site_sheets.count_selection(session, principal, filters, max_tasks=max_tasks)
    features = (f for batch in site_sheets.selection_sheets(session, store, principal, filters)
                for sheet in batch for f in task_features(sheet))
    return ExportFile(geojson.stream_collection(features, name="tasks"), geojson.MEDIA_TYPE, "tasks.geojson",
                      tasks=total)


def task_geopackage(session: Session, store: BlobStore, principal, task_id: uuid.UUID) -> ExportFile:
    sheet = site_sheets.task_sheet(session, store, principal, task_id)
    handle, size = _geopackage([task_features(sheet)])
    return ExportFile(handle, geopackage.MEDIA_TYPE, f"{sheet.application_number}.gpkg", size)


def selection_geopackage(session: Session, store: BlobStore, principal, filters: dict, *,
                         max_tasks: int) -> ExportFile:
    """The selected tasks in one GeoPackage (422 `export_too_large` past `max_tasks`)."""
    total = site_sheets.count_selection(session, principal, filters, max_tasks=max_tasks)
    batches = ([f for sheet in batch for f in task_features(sheet)]
               for batch in site_sheets.selection_sheets(session, store, principal, filters))
    handle, size = _geopackage(batches)
    return ExportFile(handle, geopackage.MEDIA_TYPE, "tasks.gpkg", size, tasks=total)


def _geopackage(batches: Iterable[Iterable[Feature]]) -> tuple[BinaryIO, int]:
    """Write to a temporary file and hand it over open: unlinked at once, it vanishes when the response closes."""
    directory = tempfile.mkdtemp(prefix="tapline-export-")
    path = Path(directory) / "export.gpkg"
    try:
        geopackage.write_geopackage(path, batches)
        handle = path.open("rb")
    finally:
        for leftover in Path(directory).iterdir():
            leftover.unlink()
        os.rmdir(directory)
    return handle, os.fstat(handle.fileno()).st_size


def task_dxf(session: Session, principal, task_id: uuid.UUID) -> ExportFile:
    sheet = site_sheets.task_sheet(session, None, principal, task_id)
    content = dxf.write_dxf(sheet)
    return ExportFile(content, dxf.MEDIA_TYPE, f"{sheet.application_number}.dxf", len(content))


def task_site_drawing(session: Session, store: BlobStore, principal, task_id: uuid.UUID) -> ExportFile:
    """The A3 PDF site drawing, with thumbnails of the first photos and the applicant's signature."""
    sheet = site_sheets.task_sheet(session, store, principal, task_id)
    wanted = {sha for survey in sheet.surveys for sha in (*survey.photos[:drawing.MAX_PHOTOS], survey.signature)
              if sha}
    shown = session.scalars(select(Blob.sha256).where(
        Blob.tenant_id == principal.tenant_id, Blob.sha256.in_(wanted), Blob.status == "complete",
        Blob.content_type.in_(("image/jpeg", "image/png", "image/webp")),
        Blob.size <= site_sheets.MAX_PHOTO_BYTES)).all()
    images = {sha: site_sheets.read_blob(store, principal.tenant_id, sha) for sha in shown}
    content = drawing.write_site_drawing(sheet, images)
    return ExportFile(content, drawing.MEDIA_TYPE, f"{sheet.application_number}.pdf", len(content))
