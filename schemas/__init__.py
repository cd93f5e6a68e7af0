"""marshmallow schemas: the HTTP shapes of the API (the OpenAPI is generated from them)."""
