"""The codes of field_forms' errors: each with the HTTP status it answers with and what it means.

The problems an error lists in ``details.errors`` carry codes of their own (`ProblemCode`), with the status
of the error that lists them; a rejected push lists a submission's problems in its receipt.
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
    FORM_ID_MISMATCH = "form_id_mismatch", 422, "the definition's (or workbook's) form_id is not the form in the URL"


class ProblemCode(Code):
    """One problem in ``details.errors`` of a definition, a submission or an XLSForm (``invalid_type`` and
    ``invalid_value`` are `CommonCode`s)."""

    SCHEMA_VIOLATION = "schema_violation", 422, "the definition does not fit the definition schema"
    MISSING_ATTRIBUTE = "missing_attribute", 422, "a definition object lacks a required attribute"
    UNKNOWN_ATTRIBUTE = "unknown_attribute", 422, "a definition object has an attribute the language lacks"
    UNKNOWN_QUESTION_TYPE = "unknown_question_type", 422, "a question's type is not one the language has"
    DUPLICATE_NAME = "duplicate_name", 422, "two questions at one level share a name"
    DUPLICATE_CHOICE = "duplicate_choice", 422, "a choice list names one choice twice"
    UNKNOWN_CHOICE_LIST = "unknown_choice_list", 422, "a question names a choice list the form lacks"
    NESTED_REPEAT = "nested_repeat", 422, "a repeat inside a repeat"
    INVALID_COUNT_RANGE = "invalid_count_range", 422, "a repeat's max_count is below its min_count"
    INVALID_DEFAULT = "invalid_default", 422, "a default is not a value of its question"
    DEPENDENCY_CYCLE = "dependency_cycle", 422, "expressions depend on each other in a cycle"
    INVALID_EXPRESSION = "invalid_expression", 422, "an expression is not valid JsonLogic of the language"
    UNKNOWN_OPERATOR = "unknown_operator", 422, "an expression uses an operator the language lacks"
    WRONG_ARITY = "wrong_arity", 422, "an operator has the wrong number of arguments"
    INVALID_REFERENCE = "invalid_reference", 422, "an expression reads a question in a way the form does not allow"
    UNKNOWN_REFERENCE = "unknown_reference", 422, "an expression names no question"
    UNSUPPORTED_EXPRESSION = "unsupported_expression", 422, "an expression outside what XLSForm and Tapline share"
    REQUIRED = "required", 422, "a required question has no answer"
    UNKNOWN_QUESTION = "unknown_question", 422, "an answer names no question of the form"
    INVALID_CHOICE = "invalid_choice", 422, "an answer is not one of its question's choices"
    NOT_ANSWERABLE = "not_answerable", 422, "a note is shown, never answered"
    NOT_RELEVANT = "not_relevant", 422, "an answer to a question that is not relevant"
    CONSTRAINT_FAILED = "constraint_failed", 422, "an answer breaks its question's constraint"
    EXPRESSION_FAILED = "expression_failed", 422, "an expression could not be evaluated on the answers"
    CALCULATION_MISMATCH = "calculation_mismatch", 422, "a calculated answer is not what its calculation gives"
    READ_ONLY_MODIFIED = "read_only_modified", 422, "a read-only answer was changed"
    TOO_FEW_ENTRIES = "too_few_entries", 422, "a repeat has fewer entries than its min_count"
    TOO_MANY_ENTRIES = "too_many_entries", 422, "a repeat has more entries than its max_count"
    UNREADABLE_WORKBOOK = "unreadable_workbook", 422, "the upload is not an .xlsx workbook"
    TOO_MANY_ROWS = "too_many_rows", 422, "the workbook has more rows than one import takes"
    XLSFORM_ERROR = "xlsform_error", 422, "pyxform refuses the workbook"
    UNSUPPORTED_SETTING = "unsupported_setting", 422, "a settings column Tapline lacks"
    INVALID_VERSION = "invalid_version", 422, "the settings' version is not a whole number ≥ 1"
    UNSUPPORTED_COLUMN = "unsupported_column", 422, "a column Tapline lacks, or one on a row that takes none"
    INVALID_COUNT = "invalid_count", 422, "a begin repeat row's min_count or max_count is not a whole number"
    UNSUPPORTED_APPEARANCE = "unsupported_appearance", 422, "an appearance Tapline does not render"
    UNSUPPORTED_TYPE = "unsupported_type", 422, "a question type Tapline lacks"
    INVALID_TAPLINE_TYPE = "invalid_tapline_type", 422, "a tapline_type is not one of Tapline's"
    MISSING_LABEL = "missing_label", 422, "a label cell of one language is empty"
    UNTRANSLATED_LABEL = "untranslated_label", 422, "a label needs its zh and en columns"
    UNSUPPORTED_DEFAULT = "unsupported_default", 422, "a default XLSForm allows that Tapline does not"
