"""Pagination via flask-smorest: page/page_size query args and an X-Pagination header."""
from apispec import BasePlugin
from flask import current_app

from server.error_codes import ServerCode
from server.errors import ApiError

# The decorators' bound, fixed at import; the limit in force is the configured PAGE_SIZE_MAX, up to this.
PAGE_SIZE_CEILING = 10_000
PAGE = {"page_size": 50, "max_page_size": PAGE_SIZE_CEILING}
# Past this page the offset would not fit the database's bigint, whatever the page size.
PAGE_MAX = (2**63 - 1) // PAGE_SIZE_CEILING


def paged(pagination, list_page, *args, **kwargs):
    """The requested page of `list_page(*args, **kwargs, offset=, limit=)`, which returns (items, total).

    The total goes to flask-smorest, which writes the X-Pagination header from it. Raises 422 past
    PAGE_SIZE_MAX.
    """
    limit = current_app.config["PAGE_SIZE_MAX"]
    if pagination.page_size > limit:
        raise ApiError(ServerCode.VALIDATION_ERROR, f"query.page_size: at most {limit} items a page",
                       field="query.page_size", details={"limit": limit})
    if pagination.page > PAGE_MAX:
        raise ApiError(ServerCode.VALIDATION_ERROR, f"query.page: at most {PAGE_MAX}", field="query.page",
                       details={"limit": PAGE_MAX})
    items, pagination.item_count = list_page(*args, **kwargs, offset=pagination.first_item,
                                             limit=pagination.page_size)
    return items


class PageSizeLimit(BasePlugin):
    """Writes the configured PAGE_SIZE_MAX into the OpenAPI as page_size's maximum, and page's maximum."""

    def __init__(self, limit: int):
        self.limit = min(limit, PAGE_SIZE_CEILING)

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and parameter.get("in") == "query":
                    if parameter.get("name") == "page_size":
                        parameter["schema"]["maximum"] = self.limit
                    elif parameter.get("name") == "page":
                        parameter["schema"]["maximum"] = PAGE_MAX
