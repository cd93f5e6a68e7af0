"""Publishing rules: versions are numbered 1, 2, 3… per form, and a published version never changes."""
from __future__ import annotations

from collections.abc import Iterable

from field_forms.definition import FormDefinition
from field_forms.errors import FormVersionConflict


def check_publishable(form: FormDefinition, published: Iterable[FormDefinition]) -> FormDefinition | None:
    """Whether ``form`` may be published after the ``published`` versions of its form.

    Returns the already published version when ``form`` is identical to it (a retried publish: store nothing),
    None when ``form`` is the next version. Raises FormVersionConflict when its number is taken by different
    content, or skips or precedes the latest version; ValueError when ``published`` holds another form's versions.
    """
    versions = {}
    for existing in published:
        if existing.form_id != form.form_id:
            raise ValueError(f"{existing.form_id!r} v{existing.version} is not a version of {form.form_id!r}")
        versions[existing.version] = existing
    latest = max(versions, default=None)
    same_number = versions.get(form.version)
    if same_number is not None:
        if same_number.digest == form.digest:
            return same_number
        raise FormVersionConflict(
            f"{form.form_id} v{form.version} is already published with other content; publish v{latest + 1}",
            form_id=form.form_id, version=form.version, latest_version=latest,
        )
    expected = (latest or 0) + 1
    if form.version != expected:
        raise FormVersionConflict(
            f"{form.form_id} v{form.version} cannot follow v{latest or 0}; the next version is v{expected}",
            form_id=form.form_id, version=form.version, latest_version=latest,
        )
    return None
