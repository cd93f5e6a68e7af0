"""Everything the console's task page shows beside the map, gathered by the services the API uses."""
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Blob, Crew
from server.services import review
from server.services.sync import conflicts

CONFLICTS_SHOWN = 100


def review_page(session: Session, principal, task_id: uuid.UUID) -> dict:
    """The task as the API details it, with its crew's name, its open conflicts and its evidence blobs."""
    detail = review.task_detail(session, principal, task_id)
    open_conflicts, _ = conflicts.list_open(session, principal.tenant_id, offset=0, limit=CONFLICTS_SHOWN,
                                            task_id=task_id)
    crew = session.get(Crew, (principal.tenant_id, detail["crew_id"])) if detail["crew_id"] else None
    return {**detail, "crew_name": crew.name if crew else None, "conflicts": open_conflicts,
            "evidence": _evidence(session, principal.tenant_id, detail["surveys"]),
            "near_threshold": [{"utility": d["utility"], **item} for d in detail["determinations"] if d["decision"]
                               for item in d["decision"].get("near_threshold") or []]}


def _evidence(session: Session, tenant_id: uuid.UUID, surveys: list[dict]) -> list[dict]:
    """Each survey's photos, sketches and signature with the blob's type, size and arrival time."""
    named = [(survey["utility"], kind, sha256) for survey in surveys
             for kind, refs in (("photo", survey["photos"]), ("sketch", survey["sketches"]),
                                ("signature", [survey["signature"]] if survey["signature"] else []))
             for sha256 in refs]
    blobs = {blob.sha256: blob for blob in session.scalars(
        select(Blob).where(Blob.tenant_id == tenant_id, Blob.sha256.in_({sha for *_, sha in named})))}
    return [{"utility": utility, "kind": kind, "sha256": sha256, "blob": blobs.get(sha256)}
            for utility, kind, sha256 in named]
