"""Messages in the client's language (`Accept-Language`): zh-CN or English. Codes never change.

The catalogue is `server/translations/zh_CN/LC_MESSAGES/messages.po`, read with Babel when first needed (no
compiled file to build or ship). An error is translated by its code, with its details as the template's
parameters (`未找到{resource} {id}`); a form-validation message by its English template, whose parameters
are read back from the English text (`Length must be between {min} and {max}.`). Anything without a
translation keeps its English message, so a new code is never left without one.
"""
import json
import re
import string
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Flask, Response, current_app, g, request

CATALOGUE = Path(__file__).parent / "translations" / "zh_CN" / "LC_MESSAGES" / "messages.po"
LOCALES = ("en", "zh-CN")


@cache
def _catalogue() -> Catalog:
    with CATALOGUE.open("rb") as po:
        return read_po(po)


@cache
def _templates() -> list[tuple[re.Pattern, str]]:
    """Each English template with parameters as a pattern that reads them back, longest first."""
    patterns = []
    for message in _catalogue():
        if message.context or not message.id or "{" not in message.id:
            continue
        pattern = "".join(re.escape(literal) + (f"(?P<{name}>.+?)" if name else "")
                          for literal, name, _, _ in string.Formatter().parse(message.id))
        patterns.append((re.compile(f"^{pattern}$", re.S), message.string))
    return sorted(patterns, key=lambda item: -len(item[0].pattern))


def locale() -> str:
    """`zh-CN` for a client that prefers any Chinese, else `en` (or TAPLINE_DEFAULT_LOCALE without a header)."""
    if "locale" not in g:
        best = request.accept_languages.best_match(("en", "zh-CN", "zh"), default=None)
        g.locale = current_app.config["DEFAULT_LOCALE"] if best is None else "zh-CN" if best.startswith("zh") else "en"
    return g.locale


def text(message: str) -> str:
    """A field-level message in Chinese, or as it was."""
    found = _catalogue().get(message)
    if found is not None and found.string:
        return found.string
    for pattern, translation in _templates():
        matched = pattern.match(message)
        if matched:
            return translation.format(**matched.groupdict())
    return message


def error(body: dict) -> dict:
    """An error `{code, message, field, details}` in Chinese; each of `details.errors` too.

    Its own message's translation where the catalogue has it (the most specific), else its code's.
    """
    nested = (body.get("details") or {}).get("errors")
    if isinstance(nested, list) and all(isinstance(item, dict) and "message" in item for item in nested):
        body["details"]["errors"] = [{**item, "message": text(item["message"])} for item in nested]
        if body.get("code") == "validation_error" and nested:
            first = body["details"]["errors"][0]
            body["message"] = f"{first['field']}: {first['message']}" if first.get("field") else first["message"]
            return body
    translated = text(body["message"])
    found = _catalogue().get(body.get("code"), context="code")
    if translated == body["message"] and found is not None and found.string:
        try:
            translated = found.string.format(**body.get("details") or {})
        except (KeyError, IndexError, ValueError):
            # Details without the template's parameters (a route that matched nothing): the plain wording.
            plain = _catalogue().get(body["code"], context="code:plain")
            translated = plain.string if plain is not None and plain.string else translated
    body["message"] = translated
    return body


def init_app(app: Flask) -> None:
    @app.after_request
    def _localise(response: Response) -> Response:
        response.headers["Content-Language"] = locale()
        response.vary.add("Accept-Language")
        # Only errors and push receipts carry messages: a pull page is never parsed again.
        carries_messages = response.status_code >= 400 or request.endpoint == "sync.Push"
        if locale() == "en" or not carries_messages or not response.is_json or response.direct_passthrough:
            return response
        body = response.get_json(silent=True)
        if not isinstance(body, dict):
            return response
        if response.status_code >= 400 and "code" in body and "message" in body:
            body = error(body)
        elif isinstance(body.get("receipts"), list):
            # A push answers 200 with a receipt per mutation; a rejected one carries its errors.
            for receipt in body["receipts"]:
                receipt["errors"] = [error(item) for item in receipt.get("errors") or []]
        else:
            return response
        response.set_data(json.dumps(body, ensure_ascii=False))
        return response
