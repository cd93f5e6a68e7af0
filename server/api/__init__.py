"""API blueprints, one per resource, all under /api/v1."""
from server.api import calendar, crews, forms, geo, health, users

BLUEPRINTS = [
    health.blp,
    users.blp, users.devices_blp, users.me_blp,
    crews.blp,
    geo.blp, geo.layers_blp,
    calendar.blp,
    forms.blp,
]
