"""Admin endpoints for users and devices; /me for every caller."""
from flask import g
from flask.views import MethodView

from schemas.users import (
    DeviceQuerySchema,
    DeviceSchema,
    MeSchema,
    RegisteredDeviceSchema,
    UserQuerySchema,
    UserSchema,
    UserUpdateSchema,
)
from server.api.blueprint import Blueprint
from server.api.pages import PAGE, paged
from server.api.trails import add_audit_route
from server.auth import requires
from server.extensions import db
from server.models import Device, User
from server.services import users
from server.services.lookup import get_or_404
from server.services.me import describe_me

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Users of the tenant (admin)")
devices_blp = Blueprint("devices", __name__, url_prefix="/api/v1/devices",
                        description="Devices: tablets and API clients, each with its own revocable token (admin)")
me_blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The caller")


@blp.route("")
class Users(MethodView):
    @requires("admin")
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate(**PAGE)
    def get(self, query, pagination_parameters):
        """List users"""
        return paged(pagination_parameters, users.list_users, db.session, g.principal.tenant_id, role=query.get("role"))

    @requires("admin")
    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(409, description="username taken")
    def post(self, fields):
        """Create a user"""
        return users.create_user(db.session, g.principal, fields)


@blp.route("/<uuid:user_id>")
class UserById(MethodView):
    @requires("admin")
    @blp.etag
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """Get a user"""
        return get_or_404(db.session, User, g.principal.tenant_id, user_id)

    @requires("admin")
    @blp.etag
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, changes, user_id):
        """Update a user (If-Match required: a stale ETag gets 412)"""
        user = get_or_404(db.session, User, g.principal.tenant_id, user_id, for_update=True)
        blp.check_etag(user, UserSchema)
        return users.update_user(db.session, g.principal, user, changes)


@devices_blp.route("")
class Devices(MethodView):
    @requires("admin")
    @devices_blp.arguments(DeviceQuerySchema, location="query")
    @devices_blp.response(200, DeviceSchema(many=True))
    @devices_blp.paginate(**PAGE)
    def get(self, query, pagination_parameters):
        """List devices"""
        return paged(pagination_parameters, users.list_devices, db.session, g.principal.tenant_id,
                     user_id=query.get("user_id"))

    @requires("admin")
    @devices_blp.arguments(DeviceSchema)
    @devices_blp.response(201, RegisteredDeviceSchema)
    def post(self, fields):
        """Register a device for a user; the response holds its token, shown only once"""
        device, token = users.register_device(db.session, g.principal, fields)
        return {"device": device, "token": token}


@devices_blp.route("/<uuid:device_id>")
class DeviceById(MethodView):
    @requires("admin")
    @devices_blp.response(200, DeviceSchema)
    def get(self, device_id):
        """Get a device"""
        return get_or_404(db.session, Device, g.principal.tenant_id, device_id)


@devices_blp.route("/<uuid:device_id>/revoke")
class DeviceRevoke(MethodView):
    @requires("admin")
    @devices_blp.response(200, DeviceSchema)
    def post(self, device_id):
        """Revoke a device (a lost tablet): its token gets 401 at once, everywhere"""
        return users.revoke_device(db.session, g.principal, device_id)


@me_blp.route("")
class Me(MethodView):
    @requires()
    @me_blp.response(200, MeSchema)
    def get(self):
        """Who the token belongs to: user, device, tenant and crews"""
        return describe_me(db.session, g.principal)


add_audit_route(blp, User, "user_id", ("admin",),
                "The user's audit trail: created, each change of name, role or active with before and after")
add_audit_route(devices_blp, Device, "device_id", ("admin",),
                "The device's audit trail: registered (for whom), revoked (when, by whom)")
