"""What a widget sign-up does: the same services as the site's own forms, with the widget as the source."""

from __future__ import annotations

from webapp.newsletter import services as newsletter
from webapp.trials import services as trials
from webapp.workshops import services as workshops


def store(kind: str, form, source: str) -> None:
    if kind == "newsletter":
        newsletter.request_subscription(form.name.data.strip(), form.email.data, form=source,
                                        clicks=form.clicks.data)
    elif kind == "workshop":
        workshops.register(form.name.data.strip(), form.email.data, form.phone.data, form.topic.data, form=source)
    else:
        trials.sign_up(form.name.data.strip(), form.email.data, form.phone.data, form.company.data,
                       form.statements(), form=source)
