"""Whatever a client sends, the answer is never a 500 and always what the OpenAPI says: every operation, fuzzed.

Schemathesis generates requests from the OpenAPI (valid and invalid bodies, query strings, path ids) and
sends them through the app as an admin, inside the test's rolled-back transaction, and checks each answer
against the operation's documented responses. (Its pytest plugin does not run on pytest 9, so the operations
are walked here with hypothesis directly.) tests/e2e/test_schemathesis.py runs every phase, stateful
included, against the served build.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
)

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, response_headers_conformance]


def operations(app):
    return [result.ok() for result in schemathesis.openapi.from_wsgi("/docs/openapi.json", app).get_all_operations()]


def test_no_operation_answers_500_or_off_its_schema(app, db_session, tenant):
    headers = {"Authorization": f"Bearer {tenant.tokens['admin']}"}
    failures = []
    for operation in operations(app):

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except AssertionError as failure:
                failures.append(f"{case.method} {case.formatted_path}: {str(failure)[:300]}")

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
            case.validate_response(case.call(headers=headers), checks=CHECKS, headers=headers)

        call()
