"""`GET …/{id}/audit` on a blueprint: one record's audit trail, paginated, read by the roles that read the record."""
from flask import g
from flask.views import MethodView

from schemas.tasks import AuditEntrySchema
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.auth import requires
from server.extensions import db
from server.services import audit_trails


def add_audit_route(blp: Blueprint, model: type, id_name: str, roles: tuple[str, ...], summary: str) -> None:
    def get(self, pagination_parameters, **ids):
        return paged(pagination_parameters, audit_trails.record_trail, db.session, g.principal.tenant_id, model,
                     ids[id_name])

    get.__doc__ = summary
    get = blp.paginate(**PAGE)(get)
    get = blp.response(200, AuditEntrySchema(many=True))(get)
    blp.route(f"/<uuid:{id_name}>/audit")(type(f"{model.__name__}Audit", (MethodView,), {"get": requires(*roles)(get)}))
