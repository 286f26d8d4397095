"""Public newsletter pages: sign up, confirm (double opt-in), unsubscribe with one click (RFC 8058)."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from webapp.accounts.forms import EmptyForm
from webapp.authz import allow
from webapp.extensions import db
from webapp.http import render, see_other
from webapp.newsletter import services
from webapp.newsletter.forms import SignupForm

bp = Blueprint("newsletter", __name__, url_prefix="/newsletter")


@bp.route("", methods=["GET", "POST"])
@allow("public")
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        services.request_subscription(form.name.data.strip(), form.email.data, form="site:newsletter",
                                      clicks=form.clicks.data)
        db.session.commit()
        return see_other("newsletter.check_inbox")
    status = 422 if request.method == "POST" else 200
    return render("newsletter/signup.html", "newsletter/_signup.html", status=status, form=form)


@bp.get("/check-your-inbox")
@allow("public")
def check_inbox():
    return render("newsletter/message.html", "newsletter/_message.html", title=_("Check your inbox"),
                  message=_("If the address can receive our newsletter, a confirmation link is on its way. "
                            "Nothing is sent until you open it and confirm."))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@allow("public")
def confirm(token: str):
    """GET only shows a button, so link scanners in mail systems cannot subscribe anybody."""
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        outcome = services.confirm(token)
        db.session.commit()
        if outcome is services.Outcome.CONFIRMED:
            return render("newsletter/message.html", "newsletter/_message.html", title=_("You are subscribed"),
                          message=_("Thank you. Every newsletter has a link to unsubscribe with one click."))
        return _invalid(outcome)
    subscription = services.pending_by_token(token)
    if subscription is None:
        return _invalid(services.Outcome.UNKNOWN)
    return render("newsletter/confirm.html", "newsletter/_confirm.html", form=form, token=token)


def _invalid(outcome):
    message = (_("This confirmation link has expired. Please sign up again to get a new one.")
               if outcome is services.Outcome.EXPIRED else
               _("This confirmation link is not valid (any more). It may have been used already."))
    return render("newsletter/message.html", "newsletter/_message.html", status=410 if outcome is
                  services.Outcome.EXPIRED else 404, title=_("Link not valid"), message=message)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@allow("public")
def unsubscribe(token: str):
    """No login and no CSRF token: the signed link is the proof, and mail clients POST
    ``List-Unsubscribe=One-Click`` to this address (RFC 8058)."""
    subscription = services.by_unsubscribe_token(token)
    if subscription is None:
        return render("newsletter/message.html", "newsletter/_message.html", status=404, title=_("Link not valid"),
                      message=_("This unsubscribe link is not valid. Please use the link from the latest newsletter."))
    if request.method == "POST":
        one_click = request.form.get("List-Unsubscribe") == "One-Click"
        services.unsubscribe(subscription, form="one-click" if one_click else "unsubscribe-page")
        db.session.commit()
        return render("newsletter/message.html", "newsletter/_message.html", title=_("You are unsubscribed"),
                      message=_("We will send you no more newsletters."))
    return render("newsletter/unsubscribe.html", "newsletter/_unsubscribe.html", token=token,
                  done=subscription.state == "unsubscribed")


@bp.get("/c/<token>")
@allow("public")
def click(token: str):
    """A link in a newsletter of someone who agreed to click counting: note the interaction, go on."""
    from flask import redirect

    from webapp.leads import services as leads
    from webapp.newsletter.clicks import unwrap
    from webapp.newsletter.models import NewsletterSubscription

    found = unwrap(token)
    if found is None:
        return render("newsletter/message.html", "newsletter/_message.html", status=404, title=_("Link not valid"),
                      message=_("This link is not valid."))
    subscription = db.session.get(NewsletterSubscription, found[0])
    if subscription is not None and subscription.click_tracking and subscription.state == "confirmed":
        leads.touch(subscription.lead)
        db.session.commit()
    return redirect(found[1], code=302)
