"""Versioned field forms: tablets render them, the server enforces them."""
from io import BytesIO

from flask import current_app, g, request, send_file
from flask.views import MethodView

import field_forms
from schemas.forms import FormDefinitionSchema, SubmissionSchema, ValidatedSubmissionSchema, XLSFormUploadSchema
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.auth import requires
from server.extensions import db
from server.services import forms

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

blp = Blueprint("forms", __name__, url_prefix="/api/v1/forms", description=(
    "Form definitions (XLSForm-like, expressions in JsonLogic). Publishing creates an immutable version; a "
    "submission names its form id and version and is validated against that version forever."))


@blp.route("")
class Forms(MethodView):
    @requires(*ROLES)
    @blp.response(200, FormDefinitionSchema(many=True))
    def get(self):
        """The latest version of every form (built-in and published by the tenant)"""
        return forms.latest_forms(db.session, g.principal.tenant_id)


@blp.route("/schema")
class DefinitionLanguage(MethodView):
    @requires(*ROLES)
    @blp.response(200)
    def get(self):
        """The JSON Schema of the definition language"""
        return field_forms.DEFINITION_SCHEMA


@blp.route("/<string:form_id>/versions")
class FormVersions(MethodView):
    @requires("admin")
    @blp.arguments(FormDefinitionSchema)
    @blp.response(201, FormDefinitionSchema)
    @blp.alt_response(200, schema=FormDefinitionSchema, description="the same definition was already published")
    @blp.alt_response(409, description="the version number is taken by other content or is not the next one")
    def post(self, definition, form_id):
        """Publish the next version of a form; every problem of the definition is reported at once"""
        published, created = forms.publish(db.session, g.principal, form_id, definition)
        return published, 201 if created else 200


@blp.route("/<string:form_id>/versions/<int:version>")
class FormVersion(MethodView):
    @requires(*ROLES)
    @blp.response(200, FormDefinitionSchema)
    def get(self, form_id, version):
        """One published version"""
        return forms.get_version(db.session, g.principal.tenant_id, form_id, version).raw


@blp.route("/<string:form_id>/versions/<int:version>/validate")
class FormValidation(MethodView):
    @requires(*ROLES)
    @blp.arguments(SubmissionSchema)
    @blp.response(200, ValidatedSubmissionSchema)
    def post(self, body, form_id, version):
        """Check answers against a version: 422 `submission_invalid` lists every problem by question path"""
        answers = forms.validate(db.session, g.principal.tenant_id, form_id, version, body["answers"])
        return {"valid": True, "answers": answers}


@blp.route("/<string:form_id>/xlsform")
class XLSFormImport(MethodView):
    accepts_raw_body = True  # a multipart upload, not JSON

    @requires("admin")
    @blp.arguments(XLSFormUploadSchema, location="files")
    @blp.response(201, FormDefinitionSchema)
    @blp.alt_response(200, schema=FormDefinitionSchema, description="the same definition was already published")
    def post(self, files, form_id):
        """Publish the next version of a form from an XLSForm (.xlsx, read with pyxform)

        Every construct the form language cannot say is listed at once in `details.errors` of a 422
        `xlsform_invalid`, each with its sheet, row and column; nothing is stored then. The version is the
        settings sheet's, else the next one.
        """
        published, created = forms.import_xlsform(db.session, g.principal, form_id, files["file"].read(),
                                                  max_rows=current_app.config["XLSFORM_MAX_ROWS"])
        return published, 201 if created else 200


@blp.route("/<string:form_id>/versions/<int:version>/xlsform")
class XLSFormExport(MethodView):
    @requires(*ROLES)
    @blp.response(200, content_type=XLSX, description="the version as an XLSForm")
    @blp.alt_response(422, description="`xlsform_export_unsupported`: what XLSForm cannot say, by place")
    def get(self, form_id, version):
        """A published version as an XLSForm (.xlsx) that this API imports back unchanged"""
        content = forms.export_xlsform(db.session, g.principal.tenant_id, form_id, version)
        return send_file(BytesIO(content), mimetype=XLSX, as_attachment=True,
                         download_name=f"{form_id}-v{version}.xlsx")


@blp.before_request
def _xlsform_size():
    if request.endpoint == "forms.XLSFormImport":
        request.max_content_length = current_app.config["XLSFORM_MAX_BYTES"]
