"""gunicorn reads this file from the working directory: `gunicorn wsgi:app` serves Tapline as it is meant to be."""
# Requests gunicorn refuses itself (bad request line, URI or headers past the limits below) get the JSON error shape.
worker_class = "server.gunicorn_worker.JsonErrorWorker"
# gunicorn's defaults, stated: a request line past 4094 bytes is 414, more than 100 headers or one past 8190 bytes 431.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
