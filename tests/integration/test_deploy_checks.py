"""Deployment hardening (issue 7): Django's ``check --deploy`` is clean with the production
environment the README describes, every page and API answer carries the security headers and
the CSP, and the session and CSRF cookies are secure in production settings.

Login throttling is tested in tests/integration/test_organisation.py
(``test_repeated_failed_logins_are_throttled``); not repeated here.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def production_environment(data_dir: Path) -> dict[str, str]:
    """The environment of a national installation behind a TLS-terminating load balancer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VEIVISER_"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="veiviser.example.no",
        CSRF_TRUSTED_ORIGINS="https://veiviser.example.no",
        TRUSTED_PROXY_SSL_HEADER="true",
        SECURE_SSL_REDIRECT="true",
        SECURE_COOKIES="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        VEIVISER_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="veiviser.settings",
    )
    env.pop("DATABASE_URL", None)  # the check needs no database; SQLite in data_dir
    return env


SCRIPT = """
import json, django
django.setup()
from django.conf import settings as s
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,
                  s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,
                  s.SECURE_PROXY_SSL_HEADER, s.DEBUG, s.X_FRAME_OPTIONS]))
"""


def test_check_deploy_is_clean_and_cookies_are_secure_in_production(tmp_path: Path) -> None:
    """One subprocess (Django starts once): ``check --deploy`` failing on any warning, then
    the settings that matter for cookies and TLS."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        True,
        True,
        True,
        "Lax",
        True,
        31536000,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        False,
        "DENY",
    ]


HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
}


def _assert_security_headers(response: Any) -> None:
    for name, expected in HEADERS.items():
        assert expected in response.get(name, ""), (response.request["PATH_INFO"], name)
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/healthz", "/logg-inn/", "/api/me", "/api/openapi.json"])
def test_pages_and_the_api_carry_the_security_headers(client: Any, actors: Any, url: str) -> None:
    client.force_login(actors["leader"])
    response = client.get(url)
    assert response.status_code < 400
    _assert_security_headers(response)
    directives = dict(
        d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"  # no inline script outside the API docs


@pytest.mark.django_db
def test_errors_and_anonymous_api_answers_carry_the_headers_too(client: Any) -> None:
    for response in (
        client.get("/api/me"),
        client.get("/finnes-ikke/"),
        client.get(reverse("home")),
    ):
        assert response.status_code in {302, 401, 404}
        _assert_security_headers(response)


@pytest.mark.django_db
def test_with_secure_cookies_the_login_sets_secure_cookies(
    client: Any, actors: Any, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    page = client.get(reverse("login"), secure=True)
    assert page.cookies["csrftoken"]["secure"]
    response = client.post(
        reverse("login"),
        {"username": "leader", "password": "test-password-1"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
