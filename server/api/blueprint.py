"""The Blueprint of every API resource: flask-smorest's, with each schema made once per process.

flask-smorest and webargs make a schema per request (the query's, the page's, the X-Pagination header's), and
making one copies all its fields: on a page of the task list that took longer than loading the query with it.
"""
from functools import cache

import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser


class SchemaOnceParser(FlaskParser):
    """Loads arguments with one instance of each schema class (a schema keeps no state between loads)."""

    def _get_schema(self, argmap, req) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            return _instance(argmap)
        return super()._get_schema(argmap, req)


@cache
def _instance(schema_class: type[ma.Schema]) -> ma.Schema:
    return schema_class()


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = SchemaOnceParser()
    PAGINATION_ARGUMENTS_PARSER = SchemaOnceParser()

    @staticmethod
    def _make_pagination_metadata(page: int, page_size: int, item_count: int) -> dict:
        """flask-smorest's metadata, in PaginationMetadataSchema's order, which it dumps them through only to
        copy these integers."""
        if item_count == 0:
            return {"total": 0, "total_pages": 0}
        last_page = (item_count - 1) // page_size + 1
        metadata = {"total": item_count, "total_pages": last_page, "first_page": 1, "last_page": last_page}
        if page <= last_page:
            metadata["page"] = page
            if page > 1:
                metadata["previous_page"] = page - 1
            if page < last_page:
                metadata["next_page"] = page + 1
        return metadata
