"""The Blueprint of every API resource: flask-smorest's, with each argument schema made once per process.

webargs makes the schema of a request's arguments (the query's, the page's) on every request, and making one
copies all its fields: on a page of the task list that took longer than loading the query with it.
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
