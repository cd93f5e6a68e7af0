"""The working-day calendar a tenant's deadlines are counted in."""
from flask import g
from flask.views import MethodView

from schemas.calendar import CalendarYearSchema
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.auth import requires
from server.extensions import db
from server.services import calendars

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar", description=(
    "Working days in Asia/Shanghai: the statutory calendar of the pinned `holidays` package (holidays and "
    "make-up workdays, 调休) unless the tenant uploaded a year. Deadlines: the start day is not counted; N "
    "working days end at close of business (17:30) of the Nth working day after it; a fraction of a working day "
    "is that share of the working hours (09:00–12:00, 13:30–17:30) counted from the start (or the next opening); "
    "24 小时 is clock hours; 次日 is the next calendar day; 即办 is due at the start."))

YEAR = "<int(min=2000,max=2100):year>"


@blp.route(f"/{YEAR}")
class CalendarYear(MethodView):
    @requires(*ROLES)
    @blp.response(200, CalendarYearSchema)
    def get(self, year):
        """The effective calendar of a year and where it comes from"""
        return calendars.describe_year(db.session, g.principal.tenant_id, year)

    @requires("admin")
    @blp.arguments(CalendarYearSchema)
    @blp.response(200, CalendarYearSchema)
    def put(self, body, year):
        """Upload a year's schedule when the State Council publishes it; it replaces the package's data"""
        return calendars.put_year(db.session, g.principal, year, body["holidays"], body["workdays"])

    @requires("admin")
    @blp.response(204)
    def delete(self, year):
        """Drop the upload: the year goes back to the package's data"""
        calendars.delete_year(db.session, g.principal, year)
