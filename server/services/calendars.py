"""A tenant's working-day calendar per year: the package's statutory data, or the admin's upload."""
import uuid
from datetime import date, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from server.error_codes import ServerCode
from server.errors import ApiError, NotFound
from server.models import CalendarYear
from server.services.changes import audit, record_change
from server.services.jsonable import jsonable
from server.services.policies import tenant_calendar
from server.unit_of_work import commits

CALENDAR_NAMESPACE = uuid.UUID("6f1d2c1e-8d0e-4a59-9b8e-3c0f3a6a9e10")


def calendar_entity_id(tenant_id: uuid.UUID, year: int) -> uuid.UUID:
    """A stable id for a tenant's year, so devices sync it like any record."""
    return uuid.uuid5(CALENDAR_NAMESPACE, f"{tenant_id}:{year}")


def describe_year(session: Session, tenant_id: uuid.UUID, year: int) -> dict:
    """The effective calendar of a year: its rest weekdays, working weekend days, and where they come from."""
    calendar = tenant_calendar(session, tenant_id)
    days = [date(year, 1, 1) + timedelta(n) for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
    return {
        "year": year,
        "source": calendar.source(year).value,
        "holidays": [d for d in days if d.weekday() < 5 and not calendar.is_working_day(d)],
        "workdays": [d for d in days if d.weekday() >= 5 and calendar.is_working_day(d)],
    }


def _check_dates(year: int, holidays: list[date], workdays: list[date]) -> None:
    for name, dates, weekend in (("holidays", holidays, False), ("workdays", workdays, True)):
        for i, day in enumerate(dates):
            if day.year != year:
                raise ApiError(ServerCode.DATE_OUTSIDE_YEAR, f"{day} is not in {year}", field=f"{name}[{i}]")
            if (day.weekday() >= 5) != weekend:
                kind = "a weekend day" if weekend else "a weekday"
                raise ApiError(ServerCode.DATE_NOT_CHANGED_BY_RULE,
                               f"{day} is not {kind}: {name} lists the {kind}s that change", field=f"{name}[{i}]")


@commits
def put_year(session: Session, principal, year: int, holidays: list[date], workdays: list[date]) -> dict:
    """Replace the package's data for `year` with the State Council schedule the admin uploads."""
    _check_dates(year, holidays, workdays)
    row = session.get(CalendarYear, (principal.tenant_id, year), with_for_update=True)
    before = None if row is None else {"holidays": row.holidays, "workdays": row.workdays}
    if row is None:
        row = CalendarYear(tenant_id=principal.tenant_id, year=year, version=1)
        session.add(row)
    else:
        row.version += 1
    row.holidays, row.workdays = sorted(set(holidays)), sorted(set(workdays))
    session.flush()
    record_change(session, principal.tenant_id, "calendar_year", calendar_entity_id(principal.tenant_id, year),
                  row.version, reference=True, meta={"year": year})
    audit(session, principal, "calendar_year", calendar_entity_id(principal.tenant_id, year), "replaced",
          changes=jsonable({"before": before, "after": {"holidays": row.holidays, "workdays": row.workdays}}))
    return describe_year(session, principal.tenant_id, year)


@commits
def delete_year(session: Session, principal, year: int) -> None:
    """Go back to the package's data for `year`."""
    deleted = session.execute(delete(CalendarYear).where(CalendarYear.tenant_id == principal.tenant_id,
                                                         CalendarYear.year == year)).rowcount
    if not deleted:
        raise NotFound("CalendarYear", year)
    record_change(session, principal.tenant_id, "calendar_year", calendar_entity_id(principal.tenant_id, year), 0,
                  reference=True, op="delete", meta={"year": year})
    audit(session, principal, "calendar_year", calendar_entity_id(principal.tenant_id, year), "deleted")
