"""The admin's sign-in is throttled (django-axes): five failures for one user name from one
address lock that pair out for 15 minutes, the right password included."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.utils import timezone

PASSWORD = "a-long-test-password"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor(db) -> User:
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, password: str, username: str = "editor", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, editor):
    for attempt in range(1, 6):
        response = sign_in(client, f"wrong-{attempt}")
        expected = 200 if attempt < 5 else 429  # the form again; then locked
        assert response.status_code == expected, attempt
        assert not signed_in(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_four_failures_then_the_right_password_signs_in_and_clears_the_count(client, editor):
    for attempt in range(4):
        sign_in(client, f"wrong-{attempt}")
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)
    client.logout()
    for attempt in range(4):  # counted from zero again
        sign_in(client, f"wrong-again-{attempt}")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lock_holds_one_user_name_from_one_address(client, editor):
    for attempt in range(5):
        sign_in(client, f"wrong-{attempt}")
    assert sign_in(client, PASSWORD).status_code == 429
    # The same editor from another address, and another name from this one, are not locked.
    assert sign_in(client, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302
    client.logout()
    User.objects.create_superuser("teacher", "t@example.org", PASSWORD)
    assert sign_in(client, PASSWORD, username="teacher").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, editor):
    for attempt in range(5):
        sign_in(client, f"wrong-{attempt}")
    for minutes, status in ((14, 429), (16, 302)):
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))
        assert sign_in(client, PASSWORD).status_code == status, minutes


def through_proxy(reader: str, sent: str = "") -> dict[str, str]:
    """A request as the README's TLS proxy passes it on: from loopback, with the reader's
    address appended to whatever X-Forwarded-For the reader sent."""
    forwarded = f"{sent}, {reader}" if sent else reader
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}


def test_behind_the_proxy_each_reader_is_counted_by_their_own_address(client, editor, settings):
    settings.ATLAS_BEHIND_PROXY = True
    attacker = "203.0.113.5"
    for attempt in range(5):
        # Changing the X-Forwarded-For it sends does not give the attacker a new address.
        sign_in(client, f"wrong-{attempt}", **through_proxy(attacker, sent=f"10.0.0.{attempt}"))
    assert sign_in(client, PASSWORD, **through_proxy(attacker)).status_code == 429
    assert AccessAttempt.objects.get().ip_address == attacker
    # The editor, reaching the same proxy from elsewhere, still signs in.
    assert sign_in(client, PASSWORD, **through_proxy("198.51.100.7")).status_code == 302


def test_without_the_proxy_setting_x_forwarded_for_is_ignored(client, editor, settings):
    settings.ATLAS_BEHIND_PROXY = False
    for attempt in range(5):
        sign_in(client, f"wrong-{attempt}", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
