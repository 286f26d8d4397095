"""Password rules: ASVS 5.0 length limits, no composition rules, zxcvbn with personal words."""

from __future__ import annotations

import pytest

from webapp.accounts import passwords, policy


@pytest.mark.parametrize("password", ["Tisza-river-lantern-2026", "correct horse battery staple orbit",
                                      "árvíztűrő tükörfúrógép kalap", "a" * 3 + "Zq9!vX#m2Lp$Rt7"])
def test_strong_passwords_pass(app, password):
    with app.test_request_context():
        assert policy.check(password).ok


@pytest.mark.parametrize("password", ["short", "Password1234", "qwertyuiopasdf", "123456789012", "aaaaaaaaaaaa"])
def test_weak_or_short_passwords_fail(app, password):
    with app.test_request_context():
        assert not policy.check(password).ok


def test_personal_words_count_against_the_password(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        personal = policy.personal_words("Anna Kovács", "anna.kovacs@kovacs.example", "Kovács Kft.")
        assert "kovacs" in personal and "kovács" in personal
        for guessable in ("AnnaKovacs2026!", "annakovacs.kovacs", "Kovács Kft. 2026!!"):
            assert policy.check(guessable).ok, "strong enough for a stranger"
            verdict = policy.check(guessable, personal)
            assert not verdict.ok, guessable
            assert any("name" in str(problem) for problem in verdict.problems)


def test_no_composition_rules_all_lowercase_passphrase_passes(app):
    with app.test_request_context():
        assert policy.check("plum orchard quietly whistles").ok


def test_length_bounds(app):
    with app.test_request_context():
        assert not policy.check("Zq9!vX#m2Lp").ok  # 11
        long_ok = "Zq9!vX#m2Lp$Rt7 " * 8  # 128 characters
        assert len(long_ok) == 128 and policy.check(long_ok).ok
        assert not policy.check(long_ok + "x").ok


def test_control_characters_are_refused(app):
    with app.test_request_context():
        assert not policy.check("Tisza-river\x00-lantern-2026").ok


def test_hash_is_argon2id_and_rehashed_when_parameters_change():
    from argon2 import PasswordHasher

    stored = passwords.hash_password("Tisza-river-lantern-2026")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, "Tisza-river-lantern-2026")
    weaker = PasswordHasher(time_cost=1, memory_cost=8192).hash("Tisza-river-lantern-2026")
    assert passwords.needs_rehash(weaker) and not passwords.needs_rehash(stored)


def test_unicode_spellings_verify_alike():
    composed, decomposed = "jelszó-kalap-tükör-2026", "jelszo\u0301-kalap-tu\u0308ko\u0308r-2026"
    stored = passwords.hash_password(composed)
    assert passwords.verify_password(stored, decomposed)
