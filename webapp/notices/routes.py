"""Public privacy notice: the current version at one address, the archive, and diffs."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.authz import allow
from webapp.http import render
from webapp.notices import services
from webapp.notices.models import NOTICE_LANGUAGES

bp = Blueprint("notices", __name__)


def language() -> str:
    code = str(get_locale() or "en")
    return code if code in NOTICE_LANGUAGES else "en"


def chosen_language() -> str:
    """The ``lang`` query parameter when it names a notice language, else the request's language."""
    code = request.args.get("lang", "")
    return code if code in NOTICE_LANGUAGES else language()


@bp.get("/privacy")
@allow("public")
def privacy():
    return render("notices/privacy.html", "notices/_notice.html", version=services.current_version(),
                  language=language(), is_current=True)


@bp.get("/privacy/versions")
@allow("public")
def versions():
    return render("notices/versions.html", "notices/_versions.html", versions=services.published_versions())


@bp.get("/privacy/versions/<int:number>")
@allow("public")
def version(number: int):
    found = services.published_by_number(number)
    if found is None:
        abort(404)
    current = services.current_version()
    return render("notices/privacy.html", "notices/_notice.html", version=found, language=language(),
                  is_current=current is not None and current.id == found.id)


@bp.get("/privacy/diff")
@allow("public")
def diff():
    published = services.published_versions()
    older, newer, error = _pair(published)
    shown = chosen_language()
    lines = services.diff(older, newer, shown) if older and newer else []
    status = 422 if error else 200
    return render("notices/diff.html", "notices/_diff.html", status=status, versions=published, older=older,
                  newer=newer, lines=lines, error=error, language=shown, languages=NOTICE_LANGUAGES,
                  endpoint="notices.diff")


def _pair(published):
    """The two versions named by ?from=&to= (numbers); defaults: the previous and the current version."""
    by_number = {v.number: v for v in published}
    if "from" not in request.args and "to" not in request.args:
        if len(published) < 2:
            return None, None, None
        return published[1], published[0], None
    try:
        older = by_number[int(request.args.get("from", ""))]
        newer = by_number[int(request.args.get("to", ""))]
    except (KeyError, ValueError):
        return None, None, _("Please choose two published versions.")
    return older, newer, None
