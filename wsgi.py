"""Production entry point: `gunicorn wsgi:app` with DATABASE_URL pointing at a PostGIS."""
from server import create_app

app = create_app()
