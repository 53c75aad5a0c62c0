"""OpenID Connect login end to end, against a real provider on loopback.

The provider is panva's ``oidc-provider`` (npm, pinned in tests/oidc_provider/package-lock.json)
run by ``tests/oidc_provider/provider.mjs`` with two clients: a HelseID-style client that
authenticates with ``private_key_jwt`` (the test generates the RSA key and hands the provider its
public JWK) and an ID-porten-style client that must use PKCE. Veiviser runs as the relying party
on pytest-django's ``live_server``; a ``requests.Session`` plays the browser, following redirects
and submitting the provider's development login and consent forms.

The provider is skipped when ``node`` is missing, unless ``VEIVISER_REQUIRE_OIDC`` is set (CI),
where a missing node fails loudly. ``node_modules`` is installed with ``npm ci`` on first use.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from tests.conftest import make_user

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc_provider"
HPR_CLAIM = "helseid://claims/hpr/hpr_number"
PID_CLAIM = "helseid://claims/identity/pid"

# The provider's one static test account. The pid is a made-up fødselsnummer-shaped value that
# must never reach Veiviser's database, session or log.
SUB = "b7c1e0f2-5d7a-4c1e-9a55-2f6a1d3e8c90"  # the login name on the provider's form, too
HPR = "9144889"
PID = "13097248022"

HELSEID_CLIENT = "veiviser-helseid-test"
IDPORTEN_CLIENT = "veiviser-idporten-test"
IDPORTEN_SECRET = "idporten-test-secret-0123456789abcdef"
STEP_TIMEOUT = 15  # seconds per HTTP request of the browser-less flow


# ---------------------------------------------------------------------------------------------
# The provider


@dataclass
class OidcProvider:
    issuer: str
    helseid_key_file: Path
    events: list[dict[str, Any]] = field(default_factory=list)

    def last(self, event: str, client_id: str) -> dict[str, Any]:
        found = [e for e in self.events if e["event"] == event and e["client_id"] == client_id]
        assert found, f"the provider logged no {event!r} event for {client_id}: {self.events}"
        return found[-1]


def _node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        message = "node is not installed: the OIDC tests run panva's oidc-provider on node"
        if os.environ.get("VEIVISER_REQUIRE_OIDC"):
            pytest.fail(f"{message} (VEIVISER_REQUIRE_OIDC is set)", pytrace=False)
        pytest.skip(message)
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("node is installed but npm is not: cannot install oidc-provider")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci in {PROVIDER_DIR} failed:\n{result.stdout}\n{result.stderr}")
    return node


def _wait_for_issuer(lines: queue.Queue[str | None], stderr_file: Path) -> str:
    """The issuer from the provider's first JSON line on stdout."""
    deadline = time.monotonic() + 30
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            break
        if line.startswith("{"):
            return str(json.loads(line)["issuer"])
    pytest.fail(f"the OIDC provider did not start:\n{stderr_file.read_text()}", pytrace=False)


@pytest.fixture(scope="module")
def oidc_provider(live_server: Any, tmp_path_factory: Any) -> Iterator[OidcProvider]:
    from joserfc.jwk import RSAKey

    node = _node_or_skip()
    workdir = tmp_path_factory.mktemp("oidc-provider")
    key = RSAKey.generate_key(2048, parameters={"kid": "veiviser-test-key"}, private=True)
    key_file = workdir / "helseid-client-key.pem"
    key_file.write_bytes(key.as_pem(private=True))
    key_file.chmod(0o600)

    base = live_server.url
    config = {
        "clients": [
            {
                "client_id": HELSEID_CLIENT,
                "redirect_uris": [f"{base}/oidc/helseid/callback/"],
                "token_endpoint_auth_method": "private_key_jwt",
                "token_endpoint_auth_signing_alg": "RS256",
                "jwks": {"keys": [key.as_dict(private=False)]},
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            },
            {
                "client_id": IDPORTEN_CLIENT,
                "client_secret": IDPORTEN_SECRET,
                "redirect_uris": [f"{base}/oidc/idporten/callback/"],
                "token_endpoint_auth_method": "client_secret_post",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
            },
        ],
        "claims": {
            "helseid://scopes/hpr/hpr_number": [HPR_CLAIM],
            "helseid://scopes/identity/pid": [PID_CLAIM],
            "profile": ["given_name", "family_name"],
            # ID-porten sends pid with the openid scope; here it needs a scope of its own.
            "idporten-pid": ["pid"],
        },
        "accounts": {
            SUB: {
                HPR_CLAIM: HPR,
                PID_CLAIM: PID,
                "pid": PID,
                "given_name": "Test",
                "family_name": "Legesen",
            }
        },
        "pkce_required": [IDPORTEN_CLIENT],
    }
    config_file = workdir / "config.json"
    config_file.write_text(json.dumps(config))
    stderr_file = workdir / "stderr.log"

    with stderr_file.open("w") as stderr:
        process = subprocess.Popen(
            [node, str(PROVIDER_DIR / "provider.mjs"), str(config_file)],
            cwd=PROVIDER_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        handle = OidcProvider(
            issuer=_wait_for_issuer(lines, stderr_file), helseid_key_file=key_file
        )

        def collect() -> None:
            while (line := lines.get()) is not None:
                if line.startswith("{"):  # oidc-provider's own warnings are plain text
                    handle.events.append(json.loads(line))

        threading.Thread(target=collect, daemon=True).start()
        yield handle
    finally:
        if process.stdin:
            process.stdin.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_blocker: Any) -> Iterator[None]:
    """Transactional tests flush the database: put the session's reference data back after
    the module's last test, for the tests that run after us."""
    yield
    from veiviser.core.services import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def _fresh_oidc_caches() -> Iterator[None]:
    from veiviser.accounts.oidc import clear_caches

    clear_caches()
    yield
    clear_caches()


def helseid_config(provider: OidcProvider, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "helseid",
        "label": "HelseID",
        "issuer": provider.issuer,
        "client_id": HELSEID_CLIENT,
        "client_auth": "private_key_jwt",
        "private_key_file": str(provider.helseid_key_file),
        "scope": "openid profile helseid://scopes/hpr/hpr_number helseid://scopes/identity/pid",
        "pkce": True,
        "par": True,
        "client_assertion_audience": "issuer",
        **overrides,
    }


def idporten_config(provider: OidcProvider, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "idporten",
        "label": "ID-porten",
        "issuer": provider.issuer,
        "client_id": IDPORTEN_CLIENT,
        "client_auth": "client_secret_post",
        "client_secret": IDPORTEN_SECRET,
        "scope": "openid profile idporten-pid",
        "pkce": True,
        "hpr_claim": "",
        **overrides,
    }


@pytest.fixture
def configure(settings: Any, oidc_provider: OidcProvider) -> Callable[..., None]:
    def apply(*providers: dict[str, Any]) -> None:
        settings.OIDC_PROVIDERS_JSON = json.dumps(list(providers))

    return apply


# ---------------------------------------------------------------------------------------------
# The browser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": values.get("action", ""), "inputs": {}})
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1]["inputs"][values["name"]] = values.get("value", "")


@dataclass
class Flow:
    response: requests.Response
    urls: list[str]

    def authorization_request(self, issuer: str) -> dict[str, list[str]]:
        for url in self.urls:
            if url.startswith(f"{issuer}/auth?"):
                return parse_qs(urlsplit(url).query)
        raise AssertionError(f"no authorization request among {self.urls}")


def browse(
    session: requests.Session,
    url: str,
    *,
    provider: OidcProvider,
    tamper: Callable[[str], str] | None = None,
) -> Flow:
    """Open ``url`` and play the user: follow redirects, sign in to the provider's development
    login form as SUB and accept its consent form, until a page that is neither."""
    urls: list[str] = []
    response = session.get(url, allow_redirects=False, timeout=STEP_TIMEOUT)
    for _step in range(20):
        urls.append(response.url)
        if response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if tamper and "/oidc/" in target and "/callback/" in target:
                target = tamper(target)
            response = session.get(target, allow_redirects=False, timeout=STEP_TIMEOUT)
            continue
        if response.url.startswith(provider.issuer) and response.status_code == 200:
            parser = _Forms()
            parser.feed(response.text)
            if parser.forms:
                form = parser.forms[0]
                data = dict(form["inputs"])
                if "login" in data:
                    data.update(login=SUB, password="any")
                response = session.post(
                    urljoin(response.url, form["action"]),
                    data=data,
                    allow_redirects=False,
                    timeout=STEP_TIMEOUT,
                )
                continue
        return Flow(response, urls)
    raise AssertionError(f"the login did not finish: {urls}")


def new_browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # loopback only, never a proxy
    return session


def login_url(live_server: Any, name: str, next_url: str = "") -> str:
    url = live_server.url + reverse("oidc_login", args=[name])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def doctor_with_hpr(username: str = "lege") -> Any:
    user = make_user(username, doctor=True)
    user.person.hpr_number = HPR
    user.person.save(update_fields=["hpr_number"])
    return user


def session_data(browser: requests.Session) -> dict[str, Any]:
    key = browser.cookies.get("sessionid")
    assert key, "no session cookie"
    return Session.objects.get(session_key=key).get_decoded()


# ---------------------------------------------------------------------------------------------
# Tests


@pytest.mark.django_db(transaction=True)
def test_helseid_private_key_jwt_links_by_hpr_and_then_finds_the_user_by_sub(
    live_server: Any, oidc_provider: OidcProvider, configure: Any
) -> None:
    from veiviser.accounts.models import OidcIdentity
    from veiviser.audit.models import AuditEvent

    configure(helseid_config(oidc_provider))
    user = doctor_with_hpr()
    browser = new_browser()

    flow = browse(browser, login_url(live_server, "helseid", "/om/"), provider=oidc_provider)

    assert flow.response.status_code == 200, flow.response.text[:2000]
    assert flow.response.url == f"{live_server.url}/om/"
    # Pushed authorization request: the browser only carries client_id and request_uri.
    auth = flow.authorization_request(oidc_provider.issuer)
    assert set(auth) == {"client_id", "request_uri"}
    assert auth["client_id"] == [HELSEID_CLIENT]
    par = oidc_provider.last("par", HELSEID_CLIENT)
    assert (par["client_auth"], par["code_challenge_method"]) == ("private_key_jwt", "S256")
    authorization = oidc_provider.last("authorization", HELSEID_CLIENT)
    assert authorization["has_state"] and authorization["has_nonce"]
    token_event = oidc_provider.last("token", HELSEID_CLIENT)
    assert token_event["has_code_verifier"] is True
    assert token_event["client_auth"] == "private_key_jwt"
    assert HPR_CLAIM in token_event["id_token_claims"]
    identity = OidcIdentity.objects.get()
    assert (identity.user, identity.provider, identity.subject) == (user, "helseid", SUB)
    assert identity.hpr_number == HPR
    assert identity.last_login_at is not None
    assert session_data(browser)["_auth_user_id"] == str(user.pk)
    login_event = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).get()
    assert login_event.actor == user
    assert login_event.summary == "Innlogging (oidc:helseid)"

    # Second login, in a new browser, after the HPR number was removed from the person
    # register: found by sub through the OidcIdentity.
    user.person.hpr_number = None
    user.person.save(update_fields=["hpr_number"])
    first_login_at = identity.last_login_at
    second = new_browser()
    flow = browse(second, login_url(live_server, "helseid"), provider=oidc_provider)

    assert flow.response.status_code == 200, flow.response.text[:2000]
    assert flow.response.url == f"{live_server.url}/"
    assert OidcIdentity.objects.count() == 1
    identity.refresh_from_db()
    assert identity.last_login_at > first_login_at
    assert session_data(second)["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).count() == 2


@pytest.mark.django_db(transaction=True)
def test_idporten_uses_pkce_s256_and_logs_in_a_linked_user(
    live_server: Any, oidc_provider: OidcProvider, configure: Any
) -> None:
    from veiviser.accounts.models import OidcIdentity

    configure(idporten_config(oidc_provider))
    user = make_user("ansatt")
    OidcIdentity.objects.create(user=user, provider="idporten", subject=SUB)
    browser = new_browser()

    flow = browse(browser, login_url(live_server, "idporten"), provider=oidc_provider)

    assert flow.response.status_code == 200, flow.response.text[:2000]
    assert flow.response.url == f"{live_server.url}/"
    auth = flow.authorization_request(oidc_provider.issuer)
    assert auth["code_challenge_method"] == ["S256"]
    assert len(auth["code_challenge"][0]) == 43  # base64url SHA-256
    assert oidc_provider.last("authorization", IDPORTEN_CLIENT)["code_challenge_method"] == "S256"
    token_event = oidc_provider.last("token", IDPORTEN_CLIENT)
    assert token_event["has_code_verifier"] is True
    assert token_event["client_auth"] == "client_secret_post"
    assert session_data(browser)["_auth_user_id"] == str(user.pk)
    assert OidcIdentity.objects.get().last_login_at is not None


@pytest.mark.django_db(transaction=True)
def test_idporten_can_create_users_when_configured(
    live_server: Any, oidc_provider: OidcProvider, configure: Any
) -> None:
    from veiviser.accounts.models import OidcIdentity, User

    # With a pushed authorization request authenticated by client_secret_post this time.
    configure(idporten_config(oidc_provider, create_users=True, par=True))
    browser = new_browser()

    flow = browse(browser, login_url(live_server, "idporten"), provider=oidc_provider)

    assert flow.response.status_code == 200, flow.response.text[:2000]
    assert oidc_provider.last("par", IDPORTEN_CLIENT)["client_auth"] == "client_secret_post"
    identity = OidcIdentity.objects.select_related("user").get()
    assert (identity.provider, identity.subject, identity.hpr_number) == ("idporten", SUB, "")
    assert identity.user.username.startswith("idporten-")
    assert (identity.user.first_name, identity.user.last_name) == ("Test", "Legesen")
    assert not identity.user.has_usable_password()
    assert User.objects.count() == 1
    assert session_data(browser)["_auth_user_id"] == str(identity.user.pk)


@pytest.mark.django_db(transaction=True)
def test_no_matching_user_gets_a_403_page_and_nothing_is_created(
    live_server: Any, oidc_provider: OidcProvider, configure: Any
) -> None:
    from veiviser.accounts.models import OidcIdentity, User
    from veiviser.audit.models import AuditEvent

    configure(helseid_config(oidc_provider))
    make_user("annen")  # a user, but not with this HPR number
    users_before = User.objects.count()
    browser = new_browser()

    flow = browse(browser, login_url(live_server, "helseid"), provider=oidc_provider)

    assert flow.response.status_code == 403
    assert "Du har ingen bruker i Veiviser ennå – be kommunen om tilgang" in flow.response.text
    assert flow.response.url.startswith(f"{live_server.url}/oidc/helseid/callback/")
    assert User.objects.count() == users_before
    assert not OidcIdentity.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()
    assert "_auth_user_id" not in session_data(browser)


@pytest.mark.django_db(transaction=True)
def test_a_tampered_state_gives_400_and_no_login(
    live_server: Any, oidc_provider: OidcProvider, configure: Any
) -> None:
    from veiviser.accounts.models import OidcIdentity

    # The plain flow: no PAR, no PKCE (the provider does not require it for this client).
    configure(helseid_config(oidc_provider, par=False, pkce=False))
    doctor_with_hpr()
    browser = new_browser()

    def tamper(url: str) -> str:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        query["state"] = [query["state"][0][:-4] + "AAAA"]
        return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))

    def tokens() -> int:
        return sum(1 for e in oidc_provider.events if e["event"] == "token")

    tokens_before = tokens()
    flow = browse(browser, login_url(live_server, "helseid"), provider=oidc_provider, tamper=tamper)

    assert flow.response.status_code == 400
    assert "ukjent eller utløpt state" in flow.response.text
    auth = flow.authorization_request(oidc_provider.issuer)
    assert auth["state"][0] and auth["nonce"][0]
    assert "code_challenge" not in auth
    assert not OidcIdentity.objects.exists()
    assert "_auth_user_id" not in session_data(browser)
    # The authorization code was never redeemed.
    assert tokens() == tokens_before


@pytest.mark.django_db(transaction=True)
def test_a_provider_error_and_a_replayed_callback_give_400(
    live_server: Any, oidc_provider: OidcProvider, configure: Any
) -> None:
    configure(helseid_config(oidc_provider, par=False))
    doctor_with_hpr()
    browser = new_browser()
    callbacks: list[str] = []

    def keep(url: str) -> str:
        callbacks.append(url)
        return url

    flow = browse(browser, login_url(live_server, "helseid"), provider=oidc_provider, tamper=keep)
    assert flow.response.status_code == 200

    # The same callback again (state and code already used): refused, not a 500.
    replay = browser.get(callbacks[0], allow_redirects=False, timeout=STEP_TIMEOUT)
    assert replay.status_code == 400

    # The provider reports an error: start a login, answer it with error=access_denied.
    start = browser.get(login_url(live_server, "helseid"), allow_redirects=False)
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    callback = live_server.url + reverse("oidc_callback", args=["helseid"])
    denied = browser.get(
        f"{callback}?{urlencode({'error': 'access_denied', 'state': state})}",
        timeout=STEP_TIMEOUT,
    )
    assert denied.status_code == 400
    assert "ble avbrutt" in denied.text

    # A forged code with a valid state: the token exchange fails, 400.
    start = browser.get(login_url(live_server, "helseid"), allow_redirects=False)
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    forged = browser.get(
        f"{callback}?{urlencode({'code': 'forged', 'state': state, 'iss': oidc_provider.issuer})}",
        timeout=STEP_TIMEOUT,
    )
    assert forged.status_code == 400
    assert "innløsing av koden" in forged.text


@pytest.mark.django_db(transaction=True)
def test_the_pid_is_stored_nowhere(
    live_server: Any, oidc_provider: OidcProvider, configure: Any, caplog: Any
) -> None:
    from veiviser.accounts.models import OidcIdentity

    caplog.set_level("DEBUG")
    configure(
        helseid_config(oidc_provider),
        idporten_config(oidc_provider, create_users=True),
    )
    doctor_with_hpr()
    helseid_browser, idporten_browser = new_browser(), new_browser()
    for browser, name in ((helseid_browser, "helseid"), (idporten_browser, "idporten")):
        flow = browse(browser, login_url(live_server, name), provider=oidc_provider)
        assert flow.response.status_code == 200, flow.response.text[:2000]
        assert PID not in flow.response.text
    # The provider really put the fødselsnummer in both ID tokens, and both logins worked.
    assert PID_CLAIM in oidc_provider.last("token", HELSEID_CLIENT)["id_token_claims"]
    assert "pid" in oidc_provider.last("token", IDPORTEN_CLIENT)["id_token_claims"]
    assert OidcIdentity.objects.count() == 2

    for browser in (helseid_browser, idporten_browser):
        assert PID not in json.dumps(session_data(browser))

    hits = []
    models = [
        *apps.get_app_config("accounts").get_models(),
        *apps.get_app_config("audit").get_models(),
        *apps.get_app_config("core").get_models(),
        Session,
    ]
    scanned = 0
    for model in models:
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField", "JSONField", "EmailField")
            or f.get_internal_type().endswith("TextField")
        ]
        if not text_fields:
            continue
        for row in model.objects.values_list(*text_fields):
            scanned += 1
            for name, value in zip(text_fields, row, strict=True):
                if PID in json.dumps(value, default=str):
                    hits.append(f"{model._meta.label}.{name}")
    assert scanned > 0
    assert hits == []
    assert PID not in caplog.text


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"name": "helseid"}', "must be a JSON list"),
        (
            [{"name": "helseid", "issuer": "https://helseid-sts.nhn.no", "client_auth": "none"}],
            "provider 'helseid': key 'client_id' is missing",
        ),
        (
            [
                {
                    "name": "helseid",
                    "issuer": "https://helseid-sts.nhn.no",
                    "client_id": "x",
                    "client_auth": "private_key_jwt",
                }
            ],
            "provider 'helseid': key 'private_key_file' is needed",
        ),
        (
            [
                {
                    "name": "helseid",
                    "issuer": "https://helseid-sts.nhn.no",
                    "client_id": "x",
                    "client_auth": "private_key_jwt",
                    "private_key_file": "/nonexistent/key.pem",
                }
            ],
            "provider 'helseid': key 'private_key_file' cannot be read (/nonexistent/key.pem",
        ),
        (
            [
                {
                    "name": "idporten",
                    "issuer": "https://idporten.no",
                    "client_id": "x",
                    "client_auth": "magic",
                }
            ],
            "provider 'idporten': key 'client_auth' must be one of private_key_jwt",
        ),
        (
            [
                {
                    "name": "idporten",
                    "issuer": "http://idporten.no",
                    "client_id": "x",
                    "client_auth": "none",
                }
            ],
            "provider 'idporten': key 'issuer' must use https://",
        ),
        (
            [
                {
                    "name": "idporten",
                    "issuer": "https://idporten.no",
                    "client_id": "x",
                    "client_auth": "none",
                    "pcke": True,
                }
            ],
            "provider 'idporten': key 'pcke' is unknown",
        ),
        (
            [
                {
                    "name": "idporten",
                    "issuer": "https://idporten.no",
                    "client_id": "x",
                    "client_auth": "none",
                    "create_users": "yes",
                }
            ],
            "provider 'idporten': key 'create_users' must be true or false",
        ),
        (
            [{"name": "Helse ID!", "issuer": "https://x.no", "client_id": "x"}],
            "key 'name' must be a slug",
        ),
    ],
)
def test_an_invalid_config_names_the_key(settings: Any, config: Any, expected: str) -> None:
    from veiviser.accounts.oidc import configured_providers

    settings.OIDC_PROVIDERS_JSON = config if isinstance(config, str) else json.dumps(config)
    with pytest.raises(ImproperlyConfigured) as error:
        configured_providers()
    assert expected in str(error.value)
    assert str(error.value).startswith("OIDC_PROVIDERS")


def test_a_key_file_that_is_not_a_key_is_refused_without_quoting_it(
    settings: Any, tmp_path: Path
) -> None:
    from veiviser.accounts.oidc import configured_providers

    secret_looking = (
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWNvbnRlbnQ=\n-----END PRIVATE KEY-----\n"
    )
    key_file = tmp_path / "broken.pem"
    key_file.write_text(secret_looking)
    settings.OIDC_PROVIDERS_JSON = json.dumps(
        [
            {
                "name": "helseid",
                "issuer": "https://helseid-sts.nhn.no",
                "client_id": "x",
                "client_auth": "private_key_jwt",
                "private_key_file": str(key_file),
            }
        ]
    )
    with pytest.raises(ImproperlyConfigured) as error:
        configured_providers()
    assert "provider 'helseid': key 'private_key_file' is not a PEM or JWK private key" in str(
        error.value
    )
    assert "c2VjcmV0" not in str(error.value)


@pytest.mark.django_db
def test_an_invalid_config_leaves_the_password_login_page_working(
    client: Any, settings: Any
) -> None:
    settings.OIDC_PROVIDERS_JSON = json.dumps([{"name": "helseid"}])
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "ikke satt opp" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# ID token checks, with tokens signed here (a real provider only signs valid ones)

ISSUER = "https://op.test"
JWKS_URI = "http://127.0.0.1:9/jwks"  # never fetched while cached; refused at once if it is
CLIENT = "veiviser"
NONCE = "expected-nonce"


@pytest.fixture
def signing_key() -> Any:
    from joserfc.jwk import RSAKey

    from veiviser.accounts import oidc

    key = RSAKey.generate_key(2048, parameters={"kid": "op-key"}, private=True)
    oidc._cache[JWKS_URI] = (time.monotonic(), {"keys": [key.as_dict(private=False)]})
    return key


def _token(key: Any, header: dict[str, Any] | None = None, **claims: Any) -> str:
    from joserfc import jwt

    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "subject-1",
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        **claims,
    }
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(header or {"alg": "RS256", "kid": "op-key"}, payload, key)


def _validate(token: str) -> dict[str, Any]:
    from veiviser.accounts.oidc import Provider, _validate_id_token

    provider = Provider(
        name="op",
        label="OP",
        issuer=ISSUER,
        client_id=CLIENT,
        client_auth="none",
        scope="openid",
        pkce=True,
        hpr_claim=HPR_CLAIM,
        create_users=False,
    )
    metadata = {"issuer": ISSUER, "jwks_uri": JWKS_URI}
    return _validate_id_token(provider, metadata, token, nonce=NONCE, access_token=None)


def test_a_valid_id_token_is_accepted(signing_key: Any) -> None:
    assert _validate(_token(signing_key))["sub"] == "subject-1"


@pytest.mark.parametrize(
    "claims",
    [
        {"nonce": "another-nonce"},
        {"nonce": None},
        {"aud": "another-client"},
        {"iss": "https://evil.test"},
        {"exp": int(time.time()) - 3600},
        {"sub": None},
        {"sub": ""},
    ],
    ids=["nonce", "no-nonce", "aud", "iss", "expired", "no-sub", "empty-sub"],
)
def test_an_invalid_id_token_is_refused(signing_key: Any, claims: dict[str, Any]) -> None:
    from veiviser.accounts.oidc import ProviderError

    with pytest.raises(ProviderError, match="ugyldig ID-token"):
        _validate(_token(signing_key, **claims))


def test_an_id_token_signed_by_another_key_or_with_hmac_is_refused(signing_key: Any) -> None:
    from joserfc.jwk import OctKey, RSAKey

    from veiviser.accounts.oidc import ProviderError

    stranger = RSAKey.generate_key(2048, parameters={"kid": "op-key"}, private=True)
    with pytest.raises(ProviderError, match="ugyldig ID-token"):
        _validate(_token(stranger))
    secret = OctKey.generate_key(256)
    with pytest.raises(ProviderError, match="ugyldig ID-token"):
        _validate(_token(secret, header={"alg": "HS256", "kid": "op-key"}))
    # An unknown kid makes Veiviser refetch the JWKS (key rotation); here that fetch fails.
    with pytest.raises(ProviderError):
        _validate(_token(stranger, header={"alg": "RS256", "kid": "rotated"}))


def test_a_fodselsnummer_as_sub_is_refused(signing_key: Any) -> None:
    from veiviser.accounts.oidc import ProviderError

    with pytest.raises(ProviderError, match="fødselsnummer"):
        _validate(_token(signing_key, sub=PID))


def test_private_keys_load_from_pem_and_jwk_files(settings: Any, tmp_path: Path) -> None:
    from joserfc.jwk import ECKey, RSAKey

    from veiviser.accounts.oidc import configured_providers

    rsa = RSAKey.generate_key(2048, private=True)
    (tmp_path / "rsa.pem").write_bytes(rsa.as_pem(private=True))
    ec = ECKey.generate_key("P-256", parameters={"kid": "ec-key"}, private=True)
    (tmp_path / "ec.json").write_text(json.dumps(ec.as_dict(private=True)))
    (tmp_path / "public.json").write_text(json.dumps(ec.as_dict(private=False)))

    def provider(name: str, key_file: str, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "issuer": "https://op.test",
            "client_id": name,
            "client_auth": "private_key_jwt",
            "private_key_file": str(tmp_path / key_file),
            **extra,
        }

    settings.OIDC_PROVIDERS_JSON = json.dumps(
        [
            provider("a", "rsa.pem"),
            provider("b", "ec.json"),
            provider(
                "c",
                "rsa.pem",
                **{"private_key_kid": "registered-kid", "client_assertion_alg": "PS256"},
            ),
        ]
    )
    providers = configured_providers()
    assert (providers["a"].client_assertion_alg, providers["a"].private_key_kid) == ("RS256", "")
    assert (providers["b"].client_assertion_alg, providers["b"].private_key_kid) == (
        "ES256",
        "ec-key",
    )
    assert (providers["c"].client_assertion_alg, providers["c"].private_key_kid) == (
        "PS256",
        "registered-kid",
    )
    assert "private_key=" not in repr(providers["a"])  # the key stays out of reprs and logs

    settings.OIDC_PROVIDERS_JSON = json.dumps([provider("d", "public.json")])
    with pytest.raises(ImproperlyConfigured, match="key 'private_key_file' holds a public key"):
        configured_providers()
