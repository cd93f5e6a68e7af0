"""The codes of policy's errors: each with the HTTP status it answers with and what it means."""
from domain_errors import Code


class PolicyCode(Code):
    """Why a request's facts or a policy profile is refused."""

    UNKNOWN_FACT = "unknown_fact", 422, "a fact no policy profile reads"
    INVALID_PROFILE = "invalid_profile", 422, "a policy profile the engine refuses to load"
