"""German, English and Hungarian: negotiation, the switch, and complete catalogues."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp" / "translations"


@pytest.mark.parametrize(("header", "expected"), [("hu-HU,hu;q=0.9", "hu"), ("en-GB", "en"), ("de-AT", "de"),
                                                   ("fr-FR", "de"), ("", "de")])
def test_language_follows_the_browser(client, header, expected):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}">' in html


def test_switch_sets_a_cookie_and_redirects_back_with_303(client, csrf):
    response = client.post("/language", data={"lang": "hu", "next": "/login?next=/", "csrf_token": csrf("/")})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/"
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="hu">' in html and "Bejelentkezés" in html


def test_switch_never_redirects_off_site(client, csrf):
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/", "csrf_token": csrf("/")})
    assert response.headers["Location"] == "/"


def test_signed_in_users_keep_their_language(client, make, login, csrf, db_session):
    user = make.user(locale="de")
    login(user)
    client.post("/language", data={"lang": "hu", "csrf_token": csrf("/")})
    db_session.expire_all()
    assert db_session.get(User, user.id).locale == "hu"


def _catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", ["de", "hu"])
def test_every_message_is_translated(lang):
    catalog = _catalog(lang)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_catalogues_cover_every_string_in_the_code(tmp_path):
    """Extract afresh: a string marked for translation but missing from the catalogues fails."""
    pot = tmp_path / "fresh.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for lang in ("de", "hu"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(lang) if m.id}
        assert fresh - known == set(), f"{lang}: run `make extract-messages` and translate"


def test_placeholders_survive_translation():
    import re

    for lang in ("de", "hu"):
        for message in _catalog(lang):
            if message.id and isinstance(message.id, str):
                assert set(re.findall(r"%\(\w+\)s", message.id)) == set(re.findall(r"%\(\w+\)s", message.string))
