"""Reading the console's HTML forms into what the API's schemas load, and safe places to go back to."""
from flask import request

from server.console.blueprint import blp


def form_values(*names: str) -> dict:
    """The named form fields that were filled in, as strings: the API's schema then loads and checks them."""
    return {name: request.form[name] for name in names if request.form.get(name, "").strip()}


def page_arguments(page_size: int) -> tuple[int, int]:
    """The `page` query argument (from 1) and the offset it starts at."""
    page = request.args.get("page", 1, type=int)
    page = max(page, 1)
    return page, (page - 1) * page_size


def inside_console(target: str | None) -> str | None:
    """`target` if it is a path inside the console, never another site."""
    target = target or ""
    return target if target.startswith(blp.url_prefix + "/") and not target.startswith("//") else None
