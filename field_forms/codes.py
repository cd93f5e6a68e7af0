"""The codes of field_forms' errors: each with the HTTP status it answers with and what it means.

The problems an error lists in ``details.errors`` carry codes of their own (``missing_attribute``,
``constraint_failed``...): they name what is wrong inside a definition or a submission, documented in
docs/forms.md.
"""
from domain_errors import Code


class FormCode(Code):
    """Why a form definition, a submission or an XLSForm is refused."""

    FORM_DEFINITION_INVALID = ("form_definition_invalid", 422,
                               "a form definition cannot be published; details.errors lists every problem")
    SUBMISSION_INVALID = ("submission_invalid", 422,
                          "answers do not satisfy their form version; details.errors lists every problem")
    FORM_VERSION_CONFLICT = ("form_version_conflict", 409,
                             "a published form version is immutable: its number is taken, or is not the next one")
    XLSFORM_INVALID = "xlsform_invalid", 422, "the XLSForm cannot be imported; details.errors names each cell"
    XLSFORM_EXPORT_UNSUPPORTED = ("xlsform_export_unsupported", 422,
                                  "the form uses what XLSForm cannot say; details.errors names each place")
