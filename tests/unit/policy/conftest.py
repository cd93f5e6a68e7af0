"""Fixtures for the policy engine's tests: the packaged profiles, the official calendar, a decider."""

import pytest

from policy import WorkingCalendar, evaluate, load_profiles
from tests.unit.policy.policy_factories import make_facts


@pytest.fixture(scope="session")
def profiles():
    return load_profiles()


@pytest.fixture(scope="session")
def calendar():
    return WorkingCalendar()


@pytest.fixture(scope="session")
def decide(profiles, calendar):
    """``decide("sanya", pipe_dn=400)``: the profile's baseline request with those facts changed.

    Session-wide: deciding is pure, nothing to reset between tests or hypothesis examples.
    """
    def decide(profile_id, **overrides):
        return evaluate(profiles[profile_id], make_facts(profile_id, **overrides), calendar)
    return decide
