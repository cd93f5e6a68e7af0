"""Versioned field forms: the definition language crews' tablets render, and the server's validation of answers.

Pure: standard library, jsonschema and json_logic, and pyxform/openpyxl for XLSForms. See docs/forms.md for
the language reference.
"""
from field_forms.builtin_forms import builtin_forms
from field_forms.definition import FormDefinition, parse_definition
from field_forms.errors import DefinitionError, FieldFormsError, FormVersionConflict, SubmissionInvalid
from field_forms.questions import PIPE_DN_SERIES, QUESTION_TYPES
from field_forms.shape import DEFINITION_SCHEMA
from field_forms.submission import validate_submission
from field_forms.versions import check_publishable
from field_forms.xlsform import XLSFormInvalid, read_xlsform
from field_forms.xlsform_export import XLSFormUnsupported, write_xlsform

__all__ = [
    "DEFINITION_SCHEMA",
    "PIPE_DN_SERIES",
    "QUESTION_TYPES",
    "DefinitionError",
    "FieldFormsError",
    "FormDefinition",
    "FormVersionConflict",
    "SubmissionInvalid",
    "XLSFormInvalid",
    "XLSFormUnsupported",
    "builtin_forms",
    "check_publishable",
    "parse_definition",
    "read_xlsform",
    "validate_submission",
    "write_xlsform",
]
