"""Pagination via flask-smorest: page/page_size query args and an X-Pagination header."""

PAGE = {"page_size": 50, "max_page_size": 500}


def page_window(pagination) -> tuple[int, int]:
    """(offset, limit) of a flask-smorest PaginationParameters."""
    return pagination.first_item, pagination.page_size


def paged(pagination, items_and_total):
    items, total = items_and_total
    pagination.item_count = total
    return items
