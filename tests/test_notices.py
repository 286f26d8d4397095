"""Privacy-notice versions (B4): drafts, publishing (hash, who, when, e-mails), the stable URL, archive, diffs."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import csrf_from
from webapp import clock
from webapp.messaging.models import OutboxEmail
from webapp.notices import mailing, services
from webapp.notices.models import NoticeVersion
from webapp.site.seed import seed_all


@pytest.fixture()
def seeded(db_session):
    seed_all()
    db_session.flush()
    return services.current_version()


@pytest.fixture()
def officer(make, login):
    user = make.user(staff_role="privacy_officer", name="Petra Officer")
    login(user)
    return user


def _publish(client, db_session, version_id):
    page = client.get(f"/staff/notices/{version_id}/publish")
    assert page.status_code == 200
    return client.post(f"/staff/notices/{version_id}/publish", data={"csrf_token": csrf_from(page.text)})


def _new_draft(client, bodies=None, summary="Sharper wording", categories=("marketing",)):
    page = client.get("/staff/notices")
    response = client.post("/staff/notices/drafts", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    edit_url = response.headers["Location"]
    form = client.get(edit_url)
    data = {"csrf_token": csrf_from(form.text), "summary": summary, "changed_categories": list(categories)}
    for language in ("de", "en", "hu"):
        data[f"body_{language}"] = (bodies or {}).get(language, f"<p>Neu {language}</p><p>Zweite Zeile</p>")
    saved = client.post(edit_url, data=data)
    assert saved.status_code == 303, saved.text[:500]
    return int(edit_url.split("/")[-2])


def test_current_version_contract(seeded):
    assert seeded.number == 1 and seeded.state == "published"
    assert seeded.changed_categories == []
    assert seeded.text_hash == hashlib.sha256(services.canonical_text(seeded).encode()).hexdigest()
    assert isinstance(seeded.id, int)


def test_no_published_version_means_none(db_session):
    assert services.current_version() is None


def test_draft_publish_records_who_when_hash_and_mails_users(app, client, db_session, seeded, officer, make,
                                                             run_jobs):
    tenant = make.tenant()
    users = [make.user(tenant=tenant), make.user(tenant=tenant, locale="de"), make.user(tenant=tenant)]
    inactive = make.user(tenant=tenant, active=False)
    draft_id = _new_draft(client)
    draft = db_session.get(NoticeVersion, draft_id)
    assert draft.number == 2 and draft.state == "draft" and draft.changed_categories == ["marketing"]
    assert services.current_version().number == 1  # a draft is not shown yet

    before = clock.now()
    response = _publish(client, db_session, draft_id)
    assert response.status_code == 303
    db_session.expire_all()
    published = db_session.get(NoticeVersion, draft_id)
    assert published.state == "published"
    assert published.published_by_id == officer.id
    assert before <= published.published_at <= clock.now()
    expected = json.dumps({"de": published.body_de, "en": published.body_en, "hu": published.body_hu},
                          sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert published.text_hash == hashlib.sha256(expected.encode()).hexdigest()
    assert services.current_version().id == draft_id

    run_jobs()
    db_session.expire_all()
    mails = {m.to_address: m for m in db_session.scalars(select(OutboxEmail))}
    for user in users:
        assert user.email in mails
        assert "/privacy" in mails[user.email].text_body and "Sharper wording" in mails[user.email].text_body
    assert inactive.email not in mails
    assert all("2" in mails[user.email].subject for user in users)
    assert len([m for m in mails.values() if m.user_id == users[0].id]) == 1


def test_notice_mails_go_out_in_batches(app, db_session, seeded, make, monkeypatch, run_jobs):
    monkeypatch.setattr(mailing, "BATCH_SIZE", 2)
    tenant = make.tenant()
    staff_count = len(mailing.recipients(0, 10_000))
    for _ in range(5):
        make.user(tenant=tenant)
    draft = services.create_draft(None)
    services.update_draft(draft, bodies={"de": "<p>a</p>", "en": "<p>b</p>", "hu": "<p>c</p>"}, summary="",
                          changed_categories=[])
    services.publish(draft, None)
    db_session.commit()
    run_jobs()
    run_jobs()
    db_session.expire_all()
    count = len(db_session.scalars(select(OutboxEmail)).all())
    assert count == staff_count + 5


def test_published_version_cannot_be_edited(client, db_session, seeded, officer):
    page = client.get(f"/staff/notices/{seeded.id}/edit")
    assert page.status_code == 303
    with pytest.raises(services.NoticeError):
        services.update_draft(seeded, bodies={}, summary="x", changed_categories=[])
    again = client.get(f"/staff/notices/{seeded.id}/publish")
    assert "already published" in again.text


def test_only_one_draft_and_publishing_needs_every_language(client, db_session, seeded, officer):
    draft_id = _new_draft(client, bodies={"de": "<p>da</p>", "en": "<p>there</p>", "hu": "<script>x</script>"})
    page = client.get("/staff/notices")
    again = client.post("/staff/notices/drafts", data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert "already open" in again.text
    assert len(db_session.scalars(select(NoticeVersion)).all()) == 2
    response = _publish(client, db_session, draft_id)
    assert response.status_code == 422 and "Every language" in response.text
    assert db_session.get(NoticeVersion, draft_id).state == "draft"


def test_draft_is_copied_from_the_current_version(db_session, seeded):
    draft = services.create_draft(None)
    assert (draft.body_de, draft.body_en, draft.body_hu) == (seeded.body_de, seeded.body_en, seeded.body_hu)


def test_unknown_consent_category_is_refused(client, db_session, seeded, officer):
    page = client.get("/staff/notices")
    response = client.post("/staff/notices/drafts", data={"csrf_token": csrf_from(page.text)})
    url = response.headers["Location"]
    form = client.get(url)
    refused = client.post(url, data={"csrf_token": csrf_from(form.text), "changed_categories": ["spying"],
                                     "body_de": "x", "body_en": "x", "body_hu": "x"})
    assert refused.status_code == 422


@pytest.mark.parametrize(("language", "word"), [("de", "Neu de"), ("en", "Neu en"), ("hu", "Neu hu")])
def test_stable_url_shows_the_newest_version_in_the_request_language(app, client, db_session, seeded, officer,
                                                                     language, word):
    draft_id = _new_draft(client)
    _publish(client, db_session, draft_id)
    anonymous = app.test_client()
    page = anonymous.get("/privacy", headers={"Accept-Language": language})
    assert page.status_code == 200
    assert word in page.text and "Version 2" in page.text or "2" in page.text
    assert f'lang="{language}"' in page.text
    old = anonymous.get("/privacy/versions/1", headers={"Accept-Language": language})
    assert old.status_code == 200 and word not in old.text
    assert seeded.body(language)[:20] in old.text


def test_archive_lists_published_versions_only(app, client, db_session, seeded, officer):
    draft_id = _new_draft(client)
    archive = app.test_client().get("/privacy/versions")
    assert "Version 1" in archive.text and "Version 2" not in archive.text
    assert app.test_client().get("/privacy/versions/2").status_code == 404
    _publish(client, db_session, draft_id)
    archive = app.test_client().get("/privacy/versions")
    assert "Version 2" in archive.text and "Version 1" in archive.text
    assert app.test_client().get("/privacy/versions/99").status_code == 404


def test_diff_between_two_versions_per_language(app, client, db_session, seeded, officer):
    draft_id = _new_draft(client, bodies={"de": seeded.body_de + "<p>Neuer Absatz</p>", "en": seeded.body_en,
                                          "hu": seeded.body_hu})
    _publish(client, db_session, draft_id)
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the page's own labels in English
    german = anonymous.get("/privacy/diff?from=1&to=2&lang=de")
    assert german.status_code == 200
    assert "<ins>" in german.text and "Neuer Absatz" in german.text
    english = anonymous.get("/privacy/diff?from=1&to=2&lang=en")
    assert "Neuer Absatz" not in english.text and "same text" in english.text
    backwards = anonymous.get("/privacy/diff?from=2&to=1&lang=de")
    assert "<del>" in backwards.text
    assert anonymous.get("/privacy/diff?from=1&to=7").status_code == 422
    assert anonymous.get("/privacy/diff?from=x&to=2").status_code == 422


def test_diff_lines_unit(db_session, seeded):
    older = NoticeVersion(number=8, body_de="<p>eins</p><p>zwei</p>", body_en="", body_hu="")
    newer = NoticeVersion(number=9, body_de="<p>eins</p><p>drei</p>", body_en="", body_hu="")
    kinds = [(line.kind, line.text) for line in services.diff(older, newer, "de")]
    assert kinds == [("same", "eins"), ("removed", "zwei"), ("added", "drei")]


def test_fragments_with_and_without_htmx(app, db_session, seeded):
    anonymous = app.test_client()
    for url, marker in (("/privacy", 'id="privacy-notice"'), ("/privacy/versions", 'id="notice-versions"'),
                        ("/privacy/diff", 'id="notice-diff"')):
        full = anonymous.get(url)
        assert "<html" in full.text and marker in full.text and full.headers["Vary"].count("HX-Request")
        fragment = anonymous.get(url, headers={"HX-Request": "true"})
        assert "<html" not in fragment.text and marker in fragment.text


def test_staff_screens_show_state_and_fragments(client, db_session, seeded, officer):
    index = client.get("/staff/notices")
    assert f'id="notice-{seeded.id}"' in index.text and "system" in index.text and "New draft" in index.text
    fragment = client.get("/staff/notices", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="notices-staff"' in fragment.text
    preview = client.get(f"/staff/notices/{seeded.id}?lang=hu", headers={"HX-Request": "true"})
    assert 'id="notice-preview"' in preview.text and "Kik vagyunk" in preview.text
    assert client.get("/staff/notices/diff").status_code == 200


@pytest.mark.parametrize("role", ["support", "operator", "sales", "developer", "consultant"])
def test_other_staff_cannot_manage_notices(app, make, db_session, seeded, role):
    other = app.test_client()
    user = make.user(staff_role=role)
    token = csrf_from(other.get("/login").text)
    other.post("/login", data={"email": user.email, "password": make.PASSWORD, "csrf_token": token})
    assert other.get("/staff/notices").status_code == 403
    token = csrf_from(other.get("/").text)
    response = other.post("/staff/notices/drafts", data={"csrf_token": token}, headers={"X-CSRFToken": token})
    assert response.status_code == 403
    assert services.open_draft() is None


DANGER = st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:x">j</a>',
                          '<p onmouseover="x()">m</p>', "<iframe src=//evil></iframe>", '<p style="x:y">s</p>'])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(DANGER | st.text(max_size=30), min_size=1, max_size=8))
def test_notice_editor_input_is_sanitised(db_session, seeded, parts):
    draft = services.open_draft() or services.create_draft(None)
    body = "".join(parts)
    services.update_draft(draft, bodies={"de": body, "en": body, "hu": body}, summary="s", changed_categories=[])
    for language in ("de", "en", "hu"):
        stored = draft.body(language).lower()
        assert "<script" not in stored and "onerror" not in stored and "javascript:" not in stored
        assert "<iframe" not in stored and "style=" not in stored and "onmouseover" not in stored


def test_staff_diff_includes_the_open_draft(client, db_session, seeded, officer):
    draft_id = _new_draft(client, bodies={"de": seeded.body_de, "en": seeded.body_en + "<p>Extra clause</p>",
                                          "hu": seeded.body_hu})
    confirm = client.get(f"/staff/notices/{draft_id}/publish")
    assert "/staff/notices/diff?from=1&amp;to=2" in confirm.text or "from=1" in confirm.text
    response = client.get("/staff/notices/diff?from=1&to=2&lang=en")
    assert response.status_code == 200 and "<ins>" in response.text and "Extra clause" in response.text
    assert "Extra clause" not in client.get("/privacy/diff?from=1&to=2&lang=en").text  # drafts stay private
