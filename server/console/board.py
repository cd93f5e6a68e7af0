"""The dispatchers' pages: the board, new applications, crew assignment, work orders and teams, alerts."""
import marshmallow as ma
from flask import flash, g, jsonify, redirect, render_template, request, url_for

from schemas.applications import BUSINESS_TYPES, CHANNELS, CUSTOMER_CLASSES, ApplicationSchema
from schemas.dispatch import WORK_ORDER_STATUSES, WorkOrderTransitionSchema
from schemas.tasks import TASK_STATUSES
from server.api.applications import Applications
from server.api.sla import Alerts
from server.api.work_orders import Suggestions, WorkOrders
from server.api.work_orders import Transitions as WorkOrderTransitions
from server.console.access import allowed_as
from server.console.blueprint import blp
from server.console.forms import form_values, page_arguments
from server.console.i18n import translate
from server.extensions import db
from server.services import alerts, applications, crews, maps, return_visits, tasks, work_orders, worklists

LIST_PAGE_SIZE = 50
APPLICATION_FIELDS = ("applicant_unit", "credit_code", "address", "contact_name", "contact_phone", "project_code",
                      "customer_class", "business_type", "water_demand_t_per_day", "gas_pressure_kpa",
                      "gas_load_m3_per_h", "channel")
ALL_CREWS = 500


@blp.get("/board")
@allowed_as(Applications.post)
def board():
    filters = {name: request.args[name] for name in ("crew_id", "utility", "area") if request.args.get(name)}
    columns = worklists.board(db.session, g.principal.tenant_id, filters)
    return render_template("console/board.html", columns=columns, filters=filters, crews=_crews(),
                           assignable={status: "assigned" in tasks.transitions_for(status, g.principal.role)
                                       for status in TASK_STATUSES})


@blp.get("/applications/new")
@allowed_as(Applications.post)
def new_application():
    return render_template("console/application_form.html", customer_classes=CUSTOMER_CLASSES,
                           business_types=BUSINESS_TYPES, channels=CHANNELS)


@blp.post("/applications")
@allowed_as(Applications.post)
def create_application():
    created = applications.create_application(db.session, g.principal, ApplicationSchema().load(_application_form()))
    flash(translate("application_created", number=created["number"]), "ok")
    return redirect(url_for("console.board"), 303)


def _application_form() -> dict:
    values = form_values(*APPLICATION_FIELDS)
    values["utilities"] = request.form.getlist("utilities")
    values["pre_service"] = request.form.get("pre_service") == "true"
    lon, lat = request.form.get("lon", "").strip(), request.form.get("lat", "").strip()
    if lon or lat:
        values["location"] = {"type": "Point", "coordinates": [lon, lat]}
    if not values["utilities"]:
        raise ma.ValidationError({"utilities": [translate("choose_a_utility")]})
    return values


@blp.get("/work-orders")
@allowed_as(WorkOrders.get)
def work_orders_page():
    page, offset = page_arguments(LIST_PAGE_SIZE)
    filters = {name: request.args[name] for name in ("status", "utility") if request.args.get(name)}
    orders, total = work_orders.list_work_orders(db.session, g.principal.tenant_id, filters, offset=offset,
                                                 limit=LIST_PAGE_SIZE)
    return render_template("console/work_orders.html", orders=orders, total=total, page=page, filters=filters,
                           statuses=WORK_ORDER_STATUSES,
                           pages=max(1, -(-total // LIST_PAGE_SIZE)))


@blp.get("/work-orders/<uuid:order_id>")
@allowed_as(Suggestions.get)
def work_order_page(order_id):
    return render_template("console/work_order.html",
                           order=work_orders.get_work_order(db.session, g.principal.tenant_id, order_id),
                           suggestions=work_orders.suggest_teams(db.session, g.principal.tenant_id, order_id))


@blp.get("/work-orders/<uuid:order_id>/map.json")
@allowed_as(Suggestions.get)
def work_order_map(order_id):
    return jsonify(maps.work_order_map(db.session, g.principal.tenant_id, order_id))


@blp.post("/work-orders/<uuid:order_id>/transitions")
@allowed_as(WorkOrderTransitions.post)
def work_order_transition(order_id):
    body = WorkOrderTransitionSchema().load(form_values("to", "team_id"))
    work_orders.transition(db.session, g.principal, order_id, body["to"], team_id=body.get("team_id"))
    flash(translate("work_order_moved", status=translate("wo_status_" + body["to"])), "ok")
    return redirect(url_for("console.work_order_page", order_id=order_id), 303)


@blp.get("/alerts")
@allowed_as(Alerts.get)
def alerts_page():
    page, offset = page_arguments(LIST_PAGE_SIZE)
    raised, total = alerts.list_alerts(db.session, g.principal.tenant_id, {}, offset=offset, limit=LIST_PAGE_SIZE)
    visits, _ = return_visits.list_visits(db.session, g.principal.tenant_id, {"status": "scheduled"}, offset=0,
                                          limit=LIST_PAGE_SIZE)
    return render_template("console/alerts.html", alerts=raised, total=total, page=page, visits=visits,
                           pages=max(1, -(-total // LIST_PAGE_SIZE)))


def _crews() -> list:
    found, _ = crews.list_crews(db.session, g.principal.tenant_id, offset=0, limit=ALL_CREWS)
    return [crew for crew in found if crew.active]
