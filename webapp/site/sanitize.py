"""One sanitiser for every operator-edited text that is shown as HTML (nh3 = the Rust ammonia library).

Only structural tags survive; no scripts, no event handlers, no styles, no images or frames (they would
load from other origins), and links only to http, https and mailto.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan", "scope"}, "*": {"lang"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(markup: str | None) -> str:
    """Sanitised HTML safe to render with ``|safe``; idempotent."""
    if not markup:
        return ""
    return nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True).strip()
