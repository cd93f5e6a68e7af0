"""The catalogue of error codes: each defined once with a real error status, documented, translated."""
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from domain_errors import Code
from server import i18n
from server.cli import main
from server.error_codes import CATALOGUE, PACKAGES, ServerCode, catalogue, markdown

DOCS = Path(__file__).parents[2] / "docs" / "errors.md"


def test_every_package_code_is_in_the_catalogue_once():
    assert len(CATALOGUE) == sum(len(enum) for enum in PACKAGES)
    assert all(CATALOGUE[code.value] is code for enum in PACKAGES for code in enum)


def test_a_code_two_packages_define_is_refused():
    class Twice(Code):
        NOT_FOUND = "not_found", 404, "a second definition"

    with pytest.raises(ValueError, match="not_found is defined by ServerCode and Twice"):
        catalogue((ServerCode, Twice))


@pytest.mark.parametrize("code", CATALOGUE.values(), ids=str)
def test_a_code_is_snake_case_with_an_error_status_and_a_meaning(code):
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", code.value)
    assert 400 <= HTTPStatus(code.status) < 600
    assert code.meaning and "|" not in code.meaning


def test_docs_errors_md_is_the_generated_table():
    assert DOCS.read_text(encoding="utf-8") == markdown(), "regenerate: tapline errors --markdown > docs/errors.md"


def test_the_cli_writes_the_table_and_lists_every_code():
    assert CliRunner().invoke(main, ["errors", "--markdown"]).output == DOCS.read_text(encoding="utf-8")
    listed = CliRunner().invoke(main, ["errors"]).output.splitlines()
    assert [line.split("\t")[:2] for line in listed] == [[c.value, str(c.status)] for c in CATALOGUE.values()]


def test_every_code_has_a_chinese_message():
    with i18n.CATALOGUE.open("rb") as po:
        translations = read_po(po)
    untranslated = [code for code in CATALOGUE if not getattr(translations.get(code, context="code"), "string", "")]
    assert untranslated == []
