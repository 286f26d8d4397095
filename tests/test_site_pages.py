"""Public website (B6, A3, A4): editable pages, sanitised markup, authority details, footer, permissions."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_from
from webapp.notices import services as notices
from webapp.site import services
from webapp.site.cli import site as site_cli
from webapp.site.sanitize import clean_html

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DANGER = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
          '<a href=" JaVaScRiPt:alert(1)">y</a>', '<p onclick="steal()">p</p>', "<iframe src=//evil></iframe>",
          '<svg onload=alert(1)>', '<p style="background:url(x)">s</p>', "<style>*{}</style>",
          '<a href="data:text/html,<script>">d</a>', "<object data=x></object>", "<!-- c -->",
          '<a href="vbscript:x">v</a>', "<form action=x><input></form>", "<base href=//evil>"]
editor_input = st.lists(st.sampled_from(DANGER) | st.text(max_size=40) |
                        st.sampled_from(["<p>", "</p>", "<b>", "<a href='https://ok.example/'>", "</a>", "<"]),
                        max_size=12).map("".join)
UNSAFE = re.compile(r"<\s*(script|iframe|img|svg|style|object|form|input|base)|\son\w+\s*=|javascript:|vbscript:|"
                    r"data:|style\s*=", re.IGNORECASE)


def _safe(markup: str) -> bool:
    return UNSAFE.search(markup) is None


@given(markup=editor_input)
@settings(max_examples=300, deadline=None)
def test_sanitiser_strips_everything_active(markup):
    cleaned = clean_html(markup)
    assert _safe(cleaned), cleaned
    assert clean_html(cleaned) == cleaned


def test_sanitiser_keeps_structure_and_safe_links():
    cleaned = clean_html('<h2>T</h2><p>a <a href="https://x.example/">b</a> <a href="mailto:a@b.c">m</a></p>')
    assert cleaned.startswith("<h2>T</h2><p>a <a href=\"https://x.example/\" rel=\"noopener noreferrer\">b</a>")
    assert 'href="mailto:a@b.c"' in cleaned


@pytest.fixture()
def officer(make, login):
    user = make.user(staff_role="privacy_officer")
    login(user)
    return user


@FUZZ
@given(body=editor_input)
def test_page_editor_stores_only_sanitised_markup(client, db_session, officer, body):
    url = "/staff/site/pages/product"
    data = {"csrf_token": csrf_from(client.get(url).text), "title_de": "Produkt", "title_en": "Product",
            "title_hu": "Termék", "body_de": body, "body_en": body + "<p>en</p>", "body_hu": body}
    response = client.post(url, data=data)
    assert response.status_code == 303
    db_session.expire_all()
    page = services.page("product")
    assert all(_safe(page.body(lang)) for lang in ("de", "en", "hu"))
    shown = client.get("/product").text
    assert "javascript:" not in shown.lower() and "onerror" not in shown.lower()


@pytest.mark.parametrize(("language", "title"), [("de", "Das Produkt"), ("en", "The product"), ("hu", "A termék")])
def test_public_pages_render_for_anonymous_visitors_in_each_language(app, db_session, language, title):
    anonymous = app.test_client()
    headers = {"Accept-Language": language}
    product = anonymous.get("/product", headers=headers)
    assert product.status_code == 200 and title in product.text
    for url in ("/pricing", "/imprint", "/authority", "/subprocessors", "/privacy", "/privacy/versions"):
        response = anonymous.get(url, headers=headers)
        assert response.status_code == 200, url
        assert 'src="http' not in response.text and "src=\"//" not in response.text  # nothing third-party
    home = anonymous.get("/", headers=headers)
    assert services.page("home").title(language) in home.text


def test_imprint_and_authority_show_the_facts(app, db_session):
    anonymous = app.test_client()
    imprint = anonymous.get("/imprint").text
    assert "MiniCRM Zrt." in imprint and "01-10-047449" in imprint and "help@minicrm.hu" in imprint
    authority = anonymous.get("/authority").text
    assert "Nemzeti Adatvédelmi és Információszabadság Hatóság" in authority
    assert "1125 Budapest, Szilágyi Erzsébet fasor 22/c" in authority
    assert "+36-1-391-1400" in authority and "mailto:ugyfelszolgalat@naih.hu" in authority
    assert 'href="https://www.naih.hu/"' in authority


def test_footer_links_on_every_page(app, db_session):
    text = app.test_client().get("/").text
    for href in ('href="/privacy"', 'href="/imprint"', 'href="/authority"', 'href="/subprocessors"',
                 'href="/product"', 'href="/pricing"'):
        assert href in text
    notice = app.test_client().get("/privacy").text
    assert 'href="/authority"' in notice and 'href="/subprocessors"' in notice and "/cookie-settings" in notice


def test_fragments_with_and_without_htmx(app, db_session):
    anonymous = app.test_client()
    for url, marker in (("/product", 'id="site-page-product"'), ("/authority", 'id="authority"'),
                        ("/imprint", 'id="site-page-imprint"')):
        full = anonymous.get(url)
        assert "<html" in full.text and marker in full.text and "HX-Request" in full.headers["Vary"]
        fragment = anonymous.get(url, headers={"HX-Request": "true"})
        assert "<html" not in fragment.text and marker in fragment.text


def test_authority_is_edited_and_sanitised(client, db_session, officer):
    url = "/staff/site/authority"
    form = client.get(url)
    assert 'id="site-edit-authority"' in form.text
    data = {"csrf_token": csrf_from(form.text), "name": "Datenschutzbehörde", "address": "Barichgasse 40-42, Wien",
            "phone": "+43 1 52 152", "email": "DSB@dsb.gv.at", "web": "https://www.dsb.gv.at/",
            "complaint_de": "<p onclick=x>Beschwerde</p><script>x</script>", "complaint_en": "<p>Complain</p>",
            "complaint_hu": "<p>Panasz</p>"}
    assert client.post(url, data=data).status_code == 303
    db_session.expire_all()
    details = services.authority()
    assert details.name == "Datenschutzbehörde" and details.complaint_de == "<p>Beschwerde</p>"
    assert details.updated_by_id == officer.id and details.updated_at is not None
    bad = client.post(url, data={**data, "web": "javascript:alert(1)", "csrf_token": csrf_from(form.text)})
    assert bad.status_code == 422
    db_session.expire_all()
    assert services.authority().web == "https://www.dsb.gv.at/"


def test_page_editor_refuses_missing_titles_and_unknown_pages(client, db_session, officer):
    url = "/staff/site/pages/pricing"
    token = csrf_from(client.get(url).text)
    response = client.post(url, data={"csrf_token": token, "title_de": "", "title_en": "x", "title_hu": "y",
                                      "body_de": "<p>neu</p>"})
    assert response.status_code == 422
    db_session.expire_all()
    assert services.page("pricing").title_de == "Preise"
    assert client.get("/staff/site/pages/nope").status_code == 404
    index = client.get("/staff/site", headers={"HX-Request": "true"})
    assert "<html" not in index.text and 'id="page-pricing"' in index.text


@pytest.mark.parametrize(("role", "pages", "authority"), [("operator", 200, 403), ("support", 403, 403),
                                                          ("sales", 403, 403), ("privacy_officer", 200, 200)])
def test_staff_roles(app, make, db_session, role, pages, authority):
    other = app.test_client()
    user = make.user(staff_role=role)
    other.post("/login", data={"email": user.email, "password": make.PASSWORD,
                               "csrf_token": csrf_from(other.get("/login").text)})
    assert other.get("/staff/site/pages/home").status_code == pages
    assert other.get("/staff/site/authority").status_code == authority


def test_tenant_users_and_anonymous_cannot_edit(app, make, db_session, login, client):
    anonymous = app.test_client()
    assert anonymous.get("/staff/site").status_code in (302, 403)
    login(make.user(tenant=make.tenant(), role="admin"))
    assert client.get("/staff/site/pages/home").status_code == 403


def test_site_seed_command_is_idempotent(app, db_session):
    runner = CliRunner()
    with app.app_context():
        from flask.cli import ScriptInfo

        info = ScriptInfo(create_app=lambda: app)
        first = runner.invoke(site_cli, ["seed"], obj=info)
        assert first.exit_code == 0, first.output
        assert "notice 1" in first.output
        second = runner.invoke(site_cli, ["seed"], obj=info)
        assert "notice 0" in second.output and "pages 0" in second.output
        assert notices.current_version().number == 1
