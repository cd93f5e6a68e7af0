"""The OpenAPI says what the server checks: a client generated from it never sends what the schemas refuse."""
import importlib
import pkgutil
import re

import marshmallow as ma
import pytest
from marshmallow import validate

import schemas
from schemas.identifiers import CREDIT_CODE_CHARSET, CREDIT_CODE_PATTERN, validate_phone

# apispec turns these into JSON Schema keywords (pattern, minLength/maxLength, minimum/maximum, enum).
DOCUMENTED = (validate.Regexp, validate.Length, validate.Range, validate.OneOf, validate.Equal)


def all_fields():
    for module in pkgutil.iter_modules(schemas.__path__):
        importlib.import_module(f"schemas.{module.name}")
    seen, stack = set(), [ma.Schema]
    while stack:
        for schema in stack.pop().__subclasses__():
            stack.append(schema)
            if schema.__module__.startswith("schemas.") and schema not in seen:
                seen.add(schema)
                for name, field in schema._declared_fields.items():
                    yield f"{schema.__name__}.{name}", field
                    if isinstance(field, ma.fields.List):
                        yield f"{schema.__name__}.{name}[]", field.inner


def test_a_rule_the_openapi_cannot_state_comes_with_a_pattern_it_can():
    unstated = []
    for name, field in all_fields():
        custom = [v for v in field.validators if not isinstance(v, DOCUMENTED)
                  # an Email field's own validator: apispec states it as `format: email`
                  and not (isinstance(field, ma.fields.Email) and isinstance(v, validate.Email))]
        stated = any(isinstance(v, validate.Regexp) for v in field.validators) or "pattern" in field.metadata
        if custom and not stated:
            unstated.append(f"{name}: {custom}")
    assert not unstated, "checked but not in the OpenAPI:\n" + "\n".join(unstated)


@pytest.mark.parametrize("phone", ["13812345678", "+8613812345678", "0722-3456789", "07223456789-12", "010-12345678"])
def test_the_phone_pattern_accepts_what_the_server_accepts(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "0722-34567", "phone", "+8513812345678"])
def test_the_phone_pattern_refuses_what_the_server_refuses(phone):
    with pytest.raises(ma.ValidationError):
        validate_phone(phone)


def test_the_credit_code_pattern_is_its_charset():
    assert set(re.findall(r"[A-Z0-9]", "".join(c for c in map(chr, range(48, 91))
                                               if re.fullmatch(CREDIT_CODE_PATTERN, c * 18)))) == \
        set(CREDIT_CODE_CHARSET)
