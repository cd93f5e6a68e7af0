"""City policy profiles and the pure evaluation of facts against one."""
import json
from pathlib import Path

from flask import current_app, g
from flask.views import MethodView

from schemas.policies import (
    DecisionSchema,
    DiffQuerySchema,
    FactsSchema,
    PolicyDiffSchema,
    PolicyPreviewSchema,
    PolicyVersionDetailSchema,
    PolicyVersionInputSchema,
    PolicyVersionSchema,
    ProfileSchema,
    ProfileSummarySchema,
)
from schemas.users import ROLES
from server.api.blueprint import Blueprint
from server.auth import requires
from server.extensions import db
from server.services import policies, policy_versions

EXAMPLE = json.loads((Path(__file__).parents[2] / "schemas" / "examples" / "evaluate_sanya.json").read_text())

blp = Blueprint("policies", __name__, url_prefix="/api/v1/policies", description=(
    "The five cities' rules as versioned data (seeds 000–004). Evaluate is pure: facts in, the decision out, "
    "each outcome naming its rule and clause. Lengths are compared after rounding half-up to 0.01 m, areas to "
    "0.01 m²; 以内/及以下/不大于 is ≤, 超过/大于 is >."))


@blp.route("")
class Profiles(MethodView):
    @requires(*ROLES)
    @blp.response(200, ProfileSummarySchema(many=True))
    def get(self):
        """The profiles as in force today for the tenant: utilities, version, effective date, source seed"""
        return [policies.profile_in_force(db.session, g.principal.tenant_id, profile_id).summary()
                for profile_id in policies.profiles()]


@blp.route("/<string:profile_id>")
class ProfileById(MethodView):
    @requires(*ROLES)
    @blp.response(200, ProfileSchema)
    def get(self, profile_id):
        """One profile as in force today, with its rules, thresholds and clauses"""
        policies.get_profile(profile_id)
        return policies.profile_in_force(db.session, g.principal.tenant_id, profile_id).to_dict()


@blp.route("/<string:profile_id>/evaluate")
class Evaluate(MethodView):
    @requires(*ROLES)
    @blp.arguments(FactsSchema, example=EXAMPLE["request"])
    @blp.response(200, DecisionSchema, example=EXAMPLE["response"])
    def post(self, facts, profile_id):
        """Decide free installation, approval path, steps, materials and deadlines from the facts (no storage).

        A fact a rule needs but the request lacks makes that part null and is listed in `missing_facts`;
        unknown facts and wrong types are a 422 naming the fact. Deadlines are counted in the tenant's
        working-day calendar; `due` is null until the anchor event is given.
        """
        return policies.evaluate(db.session, g.principal.tenant_id, profile_id, facts)


@blp.route("/<string:profile_id>/versions")
class Versions(MethodView):
    @requires(*ROLES)
    @blp.response(200, PolicyVersionSchema(many=True))
    def get(self, profile_id):
        """The profile's versions, oldest first: the shipped file is version 1; who made each, when, from what"""
        return policy_versions.history(db.session, g.principal.tenant_id, profile_id)

    @requires("admin")
    @blp.arguments(PolicyVersionInputSchema)
    @blp.response(201, PolicyVersionDetailSchema)
    @blp.alt_response(409, description="`version_exists`: versions are never edited")
    def post(self, body, profile_id):
        """Store a new version: the whole profile (TOML or JSON) or an override of some rules of a version

        Checked as the shipped files are (422 `invalid_profile` naming the field, e.g. `toml.rules[3].clause`,
        and the rule); its effective date must be after today. The version in force at an application's
        `applied_at` decides it (docs/policy.md).
        """
        return policy_versions.create(db.session, g.principal, profile_id, body)


@blp.route("/<string:profile_id>/versions/preview")
class VersionPreview(MethodView):
    @requires("admin")
    @blp.arguments(PolicyVersionInputSchema)
    @blp.response(200, PolicyPreviewSchema)
    def post(self, body, profile_id):
        """What a candidate version would change: each open application whose outcome or deadline differs

        Nothing is stored. The candidate is checked as on upload; the open applications (not cancelled, not
        connected for every utility) are re-evaluated with their current facts, most recent first, up to
        `TAPLINE_POLICY_PREVIEW_MAX_APPLICATIONS`.
        """
        return policy_versions.preview(db.session, g.principal, profile_id, body,
                                       limit=current_app.config["POLICY_PREVIEW_MAX_APPLICATIONS"])


@blp.route("/<string:profile_id>/versions/<string:version>")
class VersionById(MethodView):
    @requires(*ROLES)
    @blp.response(200, PolicyVersionDetailSchema)
    def get(self, profile_id, version):
        """One version with its rules"""
        return policy_versions.get(db.session, g.principal.tenant_id, profile_id, version)


@blp.route("/<string:profile_id>/versions/<string:version>/preview")
class StoredVersionPreview(MethodView):
    @requires("admin")
    @blp.response(200, PolicyPreviewSchema)
    def get(self, profile_id, version):
        """What a stored version would change for the open applications (as POST …/versions/preview)"""
        return policy_versions.preview_version(db.session, g.principal.tenant_id, profile_id, version,
                                               limit=current_app.config["POLICY_PREVIEW_MAX_APPLICATIONS"])


@blp.route("/<string:profile_id>/diff")
class VersionDiff(MethodView):
    @requires(*ROLES)
    @blp.arguments(DiffQuerySchema, location="query")
    @blp.response(200, PolicyDiffSchema)
    def get(self, query, profile_id):
        """Clause by clause, what changed between two versions (`?from=1.0&to=2.0`)"""
        return policy_versions.diff(db.session, g.principal.tenant_id, profile_id, query["from_"], query["to"])
