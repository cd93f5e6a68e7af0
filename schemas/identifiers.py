"""Chinese identifiers on the application form: unified social credit code and phone numbers."""
from marshmallow import ValidationError
from marshmallow.validate import Regexp

# GB 32100-2015: 31 characters, I O Z S V excluded so they cannot be misread.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# What the OpenAPI can say of it; the check character is arithmetic, verified by validate_credit_code.
CREDIT_CODE_PATTERN = "^[0-9A-HJ-NP-RTUWXY]{18}$"
# A mainland mobile (13812345678, +8613812345678) or landline (0722-3456789, 07223456789-12). A Regexp, so the
# OpenAPI states the same pattern the server checks.
validate_phone = Regexp(r"^((\+86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
                        error="not a mainland mobile (11 digits, starting 13–19) or landline (area code, e.g. "
                              "0722-3456789) number")


def credit_code_check_character(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015 §5)."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> None:
    """Raise ValidationError saying what is wrong; lowercase is refused, not upper-cased behind the user's back."""
    if len(code) != 18:
        raise ValidationError(f"a unified social credit code has 18 characters, this has {len(code)}")
    if code != code.upper():
        raise ValidationError("use capital letters: the code is printed in upper case on the business licence")
    bad = [c for c in code if c not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValidationError(f"{bad[0]!r} cannot appear in a unified social credit code (I, O, Z, S, V never do)")
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(f"check character is {code[17]!r} but should be {expected!r}: a character is mistyped")

