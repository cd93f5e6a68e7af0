"""Versioned field forms: tablets render them, the server enforces them."""
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

import field_forms
from schemas.forms import FormDefinitionSchema, SubmissionSchema, ValidatedSubmissionSchema
from schemas.users import ROLES
from server.auth import requires
from server.extensions import db
from server.services import forms

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
