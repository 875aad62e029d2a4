"""The programme policy: /api/v1/policy."""

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.writes import transactional
from creditsvc.infra.extensions import db
from creditsvc.schemas.policy import PolicyChangeSchema, PolicySchema
from creditsvc.services.programme import policy as svc

blp = Blueprint("policy", __name__, url_prefix="/api/v1/policy", description="Versioned policy")
ALL_ROLES = ("officer", "bank", "fund_manager", "admin")


def _out(policy):
    return {"version": policy.version, "body": policy.to_dict()}


@blp.route("")
class PolicyView(MethodView):
    @roles(*ALL_ROLES)
    @blp.response(200, PolicySchema)
    def get(self):
        """Show the policy in force."""
        return _out(svc.active_policy(db.session))

    @roles("fund_manager")
    @transactional
    @blp.arguments(PolicyChangeSchema())
    @blp.response(200, PolicySchema)
    def put(self, data):
        """Make a new policy version from the active one (old versions are never edited)."""
        return _out(svc.change_policy(db.session, current_principal(), data["changes"],
                                      data.get("note")))


@blp.route("/<int(min=1, max=1000000):version>")
class PolicyVersionView(MethodView):
    @roles(*ALL_ROLES)
    @blp.response(200, PolicySchema)
    def get(self, version):
        """Show a past policy version."""
        return _out(svc.policy_version(db.session, version))
