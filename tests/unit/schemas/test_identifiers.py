"""Credit codes (GB 32100-2015) and phone numbers as written on the demand form."""
import pytest
from marshmallow import ValidationError

from schemas.identifiers import credit_code_check_character, validate_credit_code, validate_phone

# Published codes of real organisations (business licences are public).
VALID_CODES = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T", "911100001000044477"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_published_codes_are_valid(code):
    validate_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code,message", [
    ("91110000802100433C", "should be 'B'"),
    ("91350100m000100y43", "capital letters"),
    ("9111000080210043B", "18 characters, this has 17"),
    ("91110000802100433BB", "this has 19"),
    ("911100008021OO433B", "'O' cannot appear"),
])
def test_invalid_codes_say_what_is_wrong(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_credit_code(code)


@pytest.mark.parametrize("phone", ["13812345678", "+8619912345678", "0722-3456789", "07223456789", "010-88886666-123"])
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "722-3456789", "phone", ""])
def test_invalid_phones(phone):
    with pytest.raises(ValidationError, match="mainland mobile"):
        validate_phone(phone)
