"""Run the erasure of an erasure request: a confirmation page and the POST that erases and closes."""

from __future__ import annotations

from flask import Blueprint, abort, flash
from flask_babel import gettext as _
from flask_login import current_user

from webapp.authz import allow
from webapp.dsr import services as dsr
from webapp.dsr.models import DataRequest
from webapp.erasure import services
from webapp.erasure.forms import ConfirmErasureForm
from webapp.extensions import db
from webapp.http import render, see_other

bp = Blueprint("erasure", __name__, url_prefix="/privacy/requests")
PRIVACY = "staff:privacy_officer"


def _erasable(request_id: int, lock: bool = False) -> DataRequest:
    item = db.session.get(DataRequest, request_id, with_for_update=lock) or abort(404)
    if item.kind != "erasure":
        abort(404)
    return item


def _page(item: DataRequest, form: ConfirmErasureForm, status: int = 200):
    return render("erasure/confirm.html", "erasure/_confirm.html", status=status, item=item, form=form)


@bp.get("/<int:request_id>/erase")
@allow(PRIVACY)
def confirm(request_id: int):
    return _page(_erasable(request_id), ConfirmErasureForm(formdata=None))


@bp.post("/<int:request_id>/erase")
@allow(PRIVACY)
def erase(request_id: int):
    item = _erasable(request_id, lock=True)  # a second officer's click waits, then finds it closed
    if item.state in ("done", "refused"):
        flash(_("This request is closed."), "error")
        return see_other("dsr.detail", request_id=item.id)
    form = ConfirmErasureForm()
    if not form.validate_on_submit():
        return _page(item, form, status=422)
    receipt = services.erase(item.email, request_id=item.id, actor_id=current_user.id)
    db.session.refresh(item)
    dsr.close(item, "refused" if receipt.outcome == "refused" else "done", services.outcome_text(receipt),
              current_user.id)
    db.session.commit()
    flash(_("Erasure receipt %(id)s: %(outcome)s.", id=receipt.id, outcome=_outcome_label(receipt.outcome)),
          "success")
    return see_other("dsr.detail", request_id=item.id)


def _outcome_label(outcome: str) -> str:
    return {"complete": _("everything erased"), "partial": _("erased, some data kept on legal grounds"),
            "refused": _("nothing erased, a legal hold applies"), "nothing": _("no data held")}.get(outcome, outcome)
