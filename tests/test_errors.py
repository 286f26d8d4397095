"""Bad input changes nothing and gets a clear, localized error page: never a 500."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import Forbidden, TooManyRequests

from webapp.accounts.models import User
from webapp.authz import allow

TITLES = {
    "en": {400: "Bad request", 403: "Access denied", 404: "Page not found", 405: "Method not allowed",
           413: "Too large", 429: "Too many requests", 500: "Something went wrong"},
    "de": {400: "Ungültige Anfrage", 403: "Zugriff verweigert", 404: "Seite nicht gefunden",
           405: "Methode nicht erlaubt", 413: "Zu groß", 429: "Zu viele Anfragen", 500: "Etwas ist schiefgelaufen"},
    "hu": {400: "Hibás kérés", 403: "Hozzáférés megtagadva", 404: "Az oldal nem található",
           405: "Nem engedélyezett művelet", 413: "Túl nagy", 429: "Túl sok kérés", 500: "Valami hiba történt"},
}


@pytest.fixture(scope="module")
def error_app(tmp_path_factory, database_url, redis_url, extra_apps):
    """A separate app with routes that raise, to reach 403, 429 and 500 through real handlers."""
    app = extra_apps(DATABASE_URL=database_url, REDIS_URL=redis_url,
                     INSTANCE_PATH=str(tmp_path_factory.mktemp("err")))

    @app.get("/boom/<int:code>")
    @allow("public")
    def boom(code):
        if code == 403:
            raise Forbidden()
        if code == 429:
            raise TooManyRequests()
        raise RuntimeError("unexpected")

    return app


@pytest.mark.parametrize("lang", ["en", "de", "hu"])
@pytest.mark.parametrize("code", [403, 429, 500])
def test_raised_errors_render_localized_pages(error_app, lang, code):
    response = error_app.test_client().get(f"/boom/{code}", headers={"Accept-Language": lang})
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert TITLES[lang][code] in html
    assert "Traceback" not in html and "RuntimeError" not in html


@pytest.mark.parametrize("lang", ["en", "de", "hu"])
def test_unknown_route_is_a_localized_404(client, lang):
    response = client.get("/no/such/page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert TITLES[lang][404] in response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_wrong_method_is_405_with_allow_header(client):
    response = client.delete("/login", headers={"Accept-Language": "en"})
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert TITLES["en"][405] in response.get_data(as_text=True)


def test_missing_csrf_token_is_refused_and_changes_nothing(client, make, login, db_session):
    user = make.user(locale="de")
    login(user)
    response = client.post("/language", data={"lang": "hu"})
    assert response.status_code == 400
    assert "expired or was not sent from this site" in response.get_data(as_text=True) or \
        "Formular" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, user.id).locale == "de"


def test_forged_csrf_token_is_refused(client):
    response = client.post("/language", data={"lang": "hu", "csrf_token": "forged"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "lang=hu" not in response.headers.get("Set-Cookie", "")


def test_oversized_body_is_413(client, app):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data=body, content_type="application/octet-stream",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 413
    assert TITLES["en"][413] in response.get_data(as_text=True)


def test_malformed_form_body_is_a_clear_400(client, csrf):
    csrf()
    response = client.post("/language", data=b"--broken\r\nnot multipart",
                           content_type="multipart/form-data; boundary=broken", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True)


def test_json_callers_get_json_errors(client):
    response = client.get("/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_unsupported_language_is_refused(client, csrf):
    response = client.post("/language", data={"lang": "xx", "csrf_token": csrf("/")})
    assert response.status_code == 400
