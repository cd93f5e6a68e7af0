"""The errors field_forms raises, and the one shape every problem they carry has."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from domain_errors import Code, DomainError
from field_forms.codes import FormCode

Problem = dict[str, Any]


def problem(field: str | None, code: Code, message: str, **details: Any) -> Problem:
    """One problem in the API's error shape: ``{"field", "code", "message", "details"}``."""
    return {"field": field, "code": code, "message": message, "details": details}


def field_path(parts: Iterable[str | int]) -> str:
    """``("water", "segments", 2, "pipe_dn")`` → ``"water.segments[2].pipe_dn"``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class FieldFormsError(DomainError):
    """Base of field_forms errors; each kind's ``code`` is a `FormCode`."""

    code: FormCode


class _ProblemList(FieldFormsError):
    """An error made of many problems, all reported at once in ``details["errors"]``."""

    summary = "invalid"

    def __init__(self, errors: Sequence[Problem]):
        self.errors = list(errors)
        count = len(self.errors)
        first = self.errors[0]["message"] if self.errors else ""
        message = f"{self.summary}: {count} problem{'s' if count != 1 else ''}"
        super().__init__(type(self).code, f"{message} (first: {first})" if first else message,
                         details={"errors": self.errors})


class DefinitionError(_ProblemList):
    """A form definition cannot be published; ``errors`` lists every problem found."""

    code = FormCode.FORM_DEFINITION_INVALID
    summary = "form definition is invalid"


class SubmissionInvalid(_ProblemList):
    """A submission does not satisfy its form version; ``errors`` lists every problem found."""

    code = FormCode.SUBMISSION_INVALID
    summary = "submission is invalid"


class FormVersionConflict(FieldFormsError):
    """A published version is immutable: its number is taken, or it is not the next one."""

    def __init__(self, message: str, *, form_id: str, version: int, latest_version: int | None):
        super().__init__(
            FormCode.FORM_VERSION_CONFLICT,
            message,
            field="version",
            details={"form_id": form_id, "version": version, "latest_version": latest_version},
        )
