"""Pagination via flask-smorest: page/page_size query args and an X-Pagination header."""

PAGE = {"page_size": 50, "max_page_size": 500}


def paged(pagination, list_page, *args, **kwargs):
    """The requested page of `list_page(*args, **kwargs, offset=, limit=)`, which returns (items, total).

    The total goes to flask-smorest, which writes the X-Pagination header from it.
    """
    items, pagination.item_count = list_page(*args, **kwargs, offset=pagination.first_item,
                                             limit=pagination.page_size)
    return items
