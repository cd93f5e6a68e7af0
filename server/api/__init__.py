"""API blueprints, one per resource, all under /api/v1."""
from server.api import (
    applications,
    blobs,
    calendar,
    crews,
    forms,
    geo,
    health,
    policies,
    progress,
    return_visits,
    sla,
    sync,
    tasks,
    teams,
    users,
    work_orders,
)

BLUEPRINTS = [
    health.blp,
    users.blp, users.devices_blp, users.me_blp,
    crews.blp,
    geo.blp, geo.layers_blp,
    policies.blp,
    calendar.blp,
    forms.blp,
    applications.blp, tasks.blp,
    blobs.blp,
    sync.blp, sync.conflicts_blp,
    teams.blp, work_orders.blp, return_visits.blp, sla.blp, progress.blp,
]
