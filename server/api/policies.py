"""City policy profiles and the pure evaluation of facts against one."""
import json
from pathlib import Path

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.policies import DecisionSchema, FactsSchema, ProfileSchema, ProfileSummarySchema
from schemas.users import ROLES
from server.auth import requires
from server.extensions import db
from server.services import policies

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
        """The profiles: utilities, version, effective date, source seed"""
        return [p.summary() for p in policies.profiles().values()]


@blp.route("/<string:profile_id>")
class ProfileById(MethodView):
    @requires(*ROLES)
    @blp.response(200, ProfileSchema)
    def get(self, profile_id):
        """One profile with its rules, thresholds and clauses"""
        return policies.get_profile(profile_id).to_dict()


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
