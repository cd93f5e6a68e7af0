"""Tapline's policy engine: city profiles as data, the facts of a request, and the working-day calendar.

Pure: standard library, ``holidays`` and ``tomllib`` only, so the server, the SLA sweep and a tablet team
can all run the same rules.

    profiles = load_profiles()
    decision = evaluate(profiles["sanya"], parse_facts(request_json), WorkingCalendar())
    decision.to_dict()
"""

from policy.calendar import CalendarSource, Due, WorkingCalendar, YearOverride
from policy.catalogue import FACT_NAMES
from policy.decision import Decision
from policy.durations import Duration, DurationUnit
from policy.errors import FactError, ProfileError
from policy.evaluation import evaluate
from policy.facts import Facts, parse_facts
from policy.loader import load_profiles
from policy.profile import Profile

__all__ = [
    "FACT_NAMES", "CalendarSource", "Decision", "Due", "Duration", "DurationUnit", "FactError", "Facts",
    "Profile", "ProfileError", "WorkingCalendar", "YearOverride", "evaluate", "load_profiles", "parse_facts",
]
