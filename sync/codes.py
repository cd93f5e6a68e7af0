"""The codes of the sync protocol's refusals: each with the HTTP status it answers with and what it means.

A push answers 200 with a receipt per mutation; a rejected mutation's receipt carries these codes in its
``errors`` (the status is the one the same refusal has over REST).
"""
from domain_errors import Code


class SyncCode(Code):
    """Why a pull or a push, or one mutation of a push, is refused."""

    INVALID_CURSOR = "invalid_cursor", 422, "the pull cursor is not one this server issued; pull again without it"
    TOO_MANY_MUTATIONS = "too_many_mutations", 422, "a push holds more mutations than the limit; split the batch"
    INVALID_MUTATION = "invalid_mutation", 422, "a mutation is not a JSON object"
    UNSUPPORTED_MUTATION = "unsupported_mutation", 422, "this op of this record type cannot be pushed"
    INVALID_CHARACTER = "invalid_character", 422, "a text holds the NUL character"
    DEVICE_TIME_OUT_OF_RANGE = ("device_time_out_of_range", 422,
                                "device_time lies outside the window a tablet clock can be in")
    BASE_VERSION_AHEAD = ("base_version_ahead", 409,
                          "base_version is newer than the record's version: the device never pulled it")
