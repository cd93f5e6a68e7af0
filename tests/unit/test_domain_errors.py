"""The one error shape every package shares: a code that carries its status, message, field, details."""
import field_forms
import geo
import policy
from domain_errors import CommonCode, DomainError
from field_forms.codes import FormCode
from geo.codes import GeoCode
from policy.codes import PolicyCode
from sync.codes import SyncCode
from sync.errors import ProtocolError


def test_an_error_answers_with_its_codes_status_in_the_api_shape():
    error = geo.GeometryError(GeoCode.ZERO_LENGTH, "route has no length", field="route", details={"count": 2})
    assert (error.status, str(error)) == (422, "route has no length")
    assert error.to_dict() == {"code": "zero_length", "message": "route has no length", "field": "route",
                               "details": {"count": 2}}
    assert ProtocolError(SyncCode.BASE_VERSION_AHEAD, "ahead").status == 409


def test_every_packages_errors_are_domain_errors_of_their_packages_codes():
    conflict = field_forms.FormVersionConflict("taken", form_id="f", version=2, latest_version=2)
    fact = policy.FactError(CommonCode.INVALID_TYPE, "x must be a number.", field="x")
    profile = policy.ProfileError("not TOML", file="sanya.toml", rule="7")
    invalid = field_forms.SubmissionInvalid([{"field": "a", "code": "required", "message": "a is required",
                                              "details": {}}])
    assert all(isinstance(e, DomainError) for e in (conflict, fact, profile, invalid))
    assert [(e.code, e.status) for e in (conflict, fact, profile, invalid)] == [
        (FormCode.FORM_VERSION_CONFLICT, 409), (CommonCode.INVALID_TYPE, 422), (PolicyCode.INVALID_PROFILE, 422),
        (FormCode.SUBMISSION_INVALID, 422)]
    assert invalid.details["errors"][0]["code"] == "required"


def test_a_profile_error_names_its_file_and_rule_but_answers_with_its_message():
    error = policy.ProfileError("not TOML", file="sanya.toml", rule="7", field="rules[7]")
    assert str(error) == "sanya.toml: rule 7: not TOML"
    assert error.to_dict() == {"code": "invalid_profile", "message": "not TOML", "field": "rules[7]",
                               "details": {"file": "sanya.toml", "rule": "7"}}
