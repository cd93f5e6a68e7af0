"""Whatever a client sends, the answer is never a 500: every operation of the served OpenAPI, fuzzed.

Schemathesis generates requests from the OpenAPI (valid and invalid bodies, query strings, path ids) and
sends them through the app as an admin, inside the test's rolled-back transaction. (Its pytest plugin does
not run on pytest 9, so the operations are walked here with hypothesis directly.)
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings


def operations(app):
    return [result.ok() for result in schemathesis.openapi.from_wsgi("/docs/openapi.json", app).get_all_operations()]


def test_no_operation_answers_500(app, db_session, tenant):
    headers = {"Authorization": f"Bearer {tenant.tokens['admin']}"}
    failures = []
    for operation in operations(app):

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:200]}")

        call()
    assert not failures, "\n".join(sorted(set(failures)))


@pytest.mark.parametrize("role", ["crew", "dispatcher"])
def test_other_roles_get_no_500_either(app, db_session, tenant, role):
    headers = {"Authorization": f"Bearer {tenant.tokens[role]}"}
    for operation in operations(app):

        @given(case=operation.as_strategy())
        @settings(max_examples=4, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            assert case.call(headers=headers).status_code < 500, f"{case.method} {case.formatted_path}"

        call()
