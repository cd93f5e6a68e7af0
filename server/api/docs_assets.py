"""Swagger UI's assets served by the app itself, so the API docs work on an intranet without internet access."""
from flask import Blueprint, send_from_directory
from swagger_ui_bundle import swagger_ui_path

blp = Blueprint("swagger_ui_assets", __name__)


@blp.route("/docs/swagger-ui/<path:filename>")
def asset(filename: str):
    return send_from_directory(swagger_ui_path, filename, max_age=86_400)
