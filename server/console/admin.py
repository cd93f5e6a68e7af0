"""The admins' pages: users, devices (with the provisioning QR code), crews and teams, calendar, layers, basemap."""
import json
from datetime import UTC, datetime

import marshmallow as ma
import segno
from flask import current_app, flash, g, redirect, render_template, request, url_for

import geo
from policy.calendar import SHANGHAI
from schemas.applications import UTILITIES
from schemas.calendar import CalendarYearSchema
from schemas.dispatch import TeamSchema
from schemas.geo import CONSTRAINT_LAYERS, ConstraintImportSchema
from schemas.tenants import BasemapSchema
from schemas.users import ROLES, CrewSchema, CrewUpdateSchema, DeviceSchema, UserSchema, UserUpdateSchema
from server.api.calendar import CalendarYear
from server.api.crews import CrewById, Crews
from server.api.geo import ConstraintImport
from server.api.teams import Teams
from server.api.tenant import Basemap
from server.api.users import DeviceRevoke, Devices, UserById, Users
from server.console.access import allowed_as
from server.console.blueprint import blp
from server.console.forms import form_values
from server.console.i18n import translate
from server.extensions import db
from server.models import Crew, User
from server.services import calendars, constraints, crews, teams, tenants, users
from server.services.lookup import get_or_404

EVERYONE = 1000


@blp.get("/admin/users")
@allowed_as(Users.get)
def admin_users():
    found, _ = users.list_users(db.session, g.principal.tenant_id, role=None, offset=0, limit=EVERYONE)
    return render_template("console/admin_users.html", users=found, roles=ROLES)


@blp.post("/admin/users")
@allowed_as(Users.post)
def create_user():
    fields = UserSchema().load(form_values("username", "display_name", "role", "phone", "password"))
    user = users.create_user(db.session, g.principal, fields)
    flash(translate("user_created", username=user.username), "ok")
    return redirect(url_for("console.admin_users"), 303)


@blp.post("/admin/users/<uuid:user_id>")
@allowed_as(UserById.patch)
def update_user(user_id):
    values = form_values("display_name", "role", "password")
    if "active" in request.form:
        values["active"] = request.form["active"]
    changes = UserUpdateSchema().load(values)
    user = get_or_404(db.session, User, g.principal.tenant_id, user_id, for_update=True)
    users.update_user(db.session, g.principal, user, changes)
    flash(translate("user_updated", username=user.username), "ok")
    return redirect(url_for("console.admin_users"), 303)


@blp.get("/admin/devices")
@allowed_as(Devices.get)
def admin_devices():
    return _devices_page()


@blp.post("/admin/devices")
@allowed_as(Devices.post)
def register_device():
    fields = DeviceSchema().load(form_values("user_id", "name", "kind"))
    device, token = users.register_device(db.session, g.principal, fields)
    # What the tablet app scans to set itself up; shown this once, as the token is.
    provisioning = json.dumps({"server": request.url_root.rstrip("/"), "token": token}, separators=(",", ":"))
    qr_code = segno.make(provisioning, error="m").svg_inline(scale=5, title=device.name)
    return _devices_page(registered={"device": device, "token": token, "qr_code": qr_code,
                                     "provisioning": provisioning}), 201


@blp.post("/admin/devices/<uuid:device_id>/revoke")
@allowed_as(DeviceRevoke.post)
def revoke_device(device_id):
    device = users.revoke_device(db.session, g.principal, device_id)
    flash(translate("device_revoked", name=device.name), "ok")
    return redirect(url_for("console.admin_devices"), 303)


def _devices_page(**extra):
    found, _ = users.list_devices(db.session, g.principal.tenant_id, user_id=None, offset=0, limit=EVERYONE)
    people, _ = users.list_users(db.session, g.principal.tenant_id, role=None, offset=0, limit=EVERYONE)
    return render_template("console/admin_devices.html", devices=found, users={u.id: u for u in people}, **extra)


@blp.get("/admin/crews")
@allowed_as(Crews.post)
def admin_crews():
    found, _ = crews.list_crews(db.session, g.principal.tenant_id, offset=0, limit=EVERYONE)
    crew_users, _ = users.list_users(db.session, g.principal.tenant_id, role="crew", offset=0, limit=EVERYONE)
    members = {crew.id: set(crews.member_ids(db.session, crew)) for crew in found}
    team_list, _ = teams.list_teams(db.session, g.principal.tenant_id, {}, offset=0, limit=EVERYONE)
    return render_template("console/admin_crews.html", crews=found, members=members, crew_users=crew_users,
                           teams=team_list, utilities=UTILITIES)


@blp.post("/admin/crews")
@allowed_as(Crews.post)
def create_crew():
    fields = CrewSchema().load({**form_values("name"), "member_ids": request.form.getlist("member_ids")})
    crew = crews.create_crew(db.session, g.principal.tenant_id, fields)
    flash(translate("crew_saved", name=crew.name), "ok")
    return redirect(url_for("console.admin_crews"), 303)


@blp.post("/admin/crews/<uuid:crew_id>")
@allowed_as(CrewById.patch)
def update_crew(crew_id):
    changes = CrewUpdateSchema().load({**form_values("name"), "member_ids": request.form.getlist("member_ids"),
                                       "active": request.form.get("active", "false")})
    crew = crews.update_crew(db.session, get_or_404(db.session, Crew, g.principal.tenant_id, crew_id,
                                                    for_update=True), changes)
    flash(translate("crew_saved", name=crew.name), "ok")
    return redirect(url_for("console.admin_crews"), 303)


@blp.post("/admin/teams")
@allowed_as(Teams.post)
def create_team():
    values = {**form_values("name", "daily_capacity"), "utilities": request.form.getlist("utilities"),
              "service_area": _json_field("service_area")}
    team = teams.create_team(db.session, g.principal, TeamSchema().load(values),
                             max_vertices=current_app.config["MAX_VERTICES"])
    flash(translate("team_saved", name=team["name"]), "ok")
    return redirect(url_for("console.admin_crews"), 303)


@blp.get("/admin/calendar")
@allowed_as(CalendarYear.put)
def admin_calendar():
    year = request.args.get("year", datetime.now(UTC).astimezone(SHANGHAI).year, type=int)
    year = min(max(year, 2000), 2100)
    return render_template("console/admin_calendar.html",
                           calendar=calendars.describe_year(db.session, g.principal.tenant_id, year))


@blp.post("/admin/calendar/<int(min=2000,max=2100):year>")
@allowed_as(CalendarYear.put)
def put_calendar(year):
    body = CalendarYearSchema().load({name: request.form.get(name, "").split() for name in ("holidays", "workdays")})
    calendars.put_year(db.session, g.principal, year, body["holidays"], body["workdays"])
    flash(translate("calendar_saved", year=year), "ok")
    return redirect(url_for("console.admin_calendar", year=year), 303)


@blp.get("/admin/layers")
@allowed_as(ConstraintImport.post)
def admin_layers():
    return render_template("console/admin_layers.html", layers=CONSTRAINT_LAYERS,
                           counts=constraints.layer_counts(db.session, g.principal.tenant_id),
                           basemap=tenants.basemap(db.session, g.principal.tenant_id))


@blp.post("/admin/layers")
@allowed_as(ConstraintImport.post)
def import_layers():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ma.ValidationError({"file": [translate("choose_a_file")]})
    crs, features = _uploaded_features(upload.read())
    body = ConstraintImportSchema().load({"features": features, "crs": crs,
                                          "replace": request.form.get("replace", "false")})
    result = constraints.import_features(db.session, g.principal.tenant_id, features=body["features"],
                                         crs=body["crs"], replace=body["replace"],
                                         max_vertices=current_app.config["MAX_VERTICES"])
    flash(translate("layers_imported", **result), "ok")
    return redirect(url_for("console.admin_layers"), 303)


@blp.post("/admin/basemap")
@allowed_as(Basemap.put)
def set_basemap():
    body = BasemapSchema().load({"url": request.form.get("url", "").strip() or None,
                                 "gcj02": request.form.get("gcj02", "false")})
    tenants.set_basemap(db.session, g.principal.tenant_id, url=body["url"], gcj02=body["gcj02"])
    flash(translate("basemap_saved"), "ok")
    return redirect(url_for("console.admin_layers"), 303)


def _uploaded_features(data: bytes) -> tuple[str, list | None]:
    """(CRS, features) of an uploaded GeoPackage (its own CRS) or GeoJSON FeatureCollection (the form's CRS)."""
    if geo.is_geopackage(data[:16]):
        return geo.read_geopackage(data)
    try:
        collection = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ma.ValidationError({"file": [f"neither GeoJSON nor a GeoPackage: {error}"]}) from error
    return request.form.get("crs") or "EPSG:4490", collection.get("features") if isinstance(collection, dict) else None


def _json_field(name: str):
    try:
        return json.loads(request.form.get(name) or "null")
    except json.JSONDecodeError as error:
        raise ma.ValidationError({name: [f"not JSON: {error}"]}) from error
