"""OpenID Connect login (HelseID, ID-porten, …), configured per provider in OIDC_PROVIDERS.

The flow is the authorization code flow with ``state`` and ``nonce`` (and PKCE S256 where the
provider's ``pkce`` is true). The code is exchanged at the token endpoint with the configured
client authentication (``private_key_jwt`` for HelseID), and the ID token is checked: signature
against the provider's JWKS, issuer, audience, nonce and expiry. See docs/oidc.md.

What is kept of a login is the provider's ``sub`` and the HPR number claim, on
``OidcIdentity``. A fødselsnummer (HelseID's ``helseid://claims/identity/pid``, ID-porten's
``pid``) is never stored: not in the database, not in the session, not in the audit log and not
in the log. The claims live only in local variables of ``callback``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey, import_key

logger = logging.getLogger(__name__)

DEFAULT_HPR_CLAIM = "helseid://claims/hpr/hpr_number"
CLIENT_AUTH_METHODS = ("private_key_jwt", "client_secret_basic", "client_secret_post", "none")
ASSERTION_AUDIENCES = ("token_endpoint", "issuer")
# Signature algorithms accepted for ID tokens (never "none", never a shared-secret HMAC).
ID_TOKEN_ALGORITHMS = (
    *("RS256", "RS384", "RS512", "PS256", "PS384", "PS512"),
    *("ES256", "ES384", "ES512"),
)
CLIENT_ASSERTION_ALGORITHMS = ID_TOKEN_ALGORITHMS
HTTP_TIMEOUT = (5, 15)  # connect, read (seconds)
CACHE_SECONDS = 300  # discovery document and JWKS, per process
PENDING_SECONDS = 600  # how long a started login may take at the provider
MAX_PENDING = 5  # started logins kept per session (several tabs)
CLOCK_LEEWAY = 60  # seconds of clock skew accepted on exp/iat/nbf
SESSION_KEY = "oidc_pending"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
HPR_PATTERN = re.compile(r"^[0-9]{7,9}$")
NATIONAL_ID_PATTERN = re.compile(r"^[0-9]{11}$")  # fødselsnummer / D-nummer

KNOWN_KEYS = {
    "name",
    "label",
    "issuer",
    "client_id",
    "client_auth",
    "client_secret",
    "private_key_file",
    "private_key_kid",
    "client_assertion_alg",
    "client_assertion_audience",
    "scope",
    "pkce",
    "par",
    "hpr_claim",
    "create_users",
    "acr_values",
}


class OidcConfigError(ImproperlyConfigured):
    """OIDC_PROVIDERS is wrong. The message names the provider and the key."""


class ProviderError(Exception):
    """The provider, or the browser coming back from it, sent something we cannot accept.
    The message is shown to the user (Norwegian, no personal data)."""


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    issuer: str
    client_id: str
    client_auth: str
    scope: str
    pkce: bool
    hpr_claim: str
    create_users: bool
    par: bool = False
    acr_values: str = ""
    client_assertion_audience: str = "token_endpoint"
    client_assertion_alg: str = ""
    private_key_kid: str = ""
    client_secret: str = field(default="", repr=False)
    private_key: Any = field(default=None, repr=False)


# ---------------------------------------------------------------------------------------------
# Configuration


_config_lock = threading.Lock()
_config_cache: tuple[str, dict[str, Provider]] | None = None


def configured_providers() -> dict[str, Provider]:
    """The providers of OIDC_PROVIDERS by name, validated on first use (and again whenever the
    setting changes). Raises OidcConfigError with a message naming the provider and the key."""
    global _config_cache
    raw = settings.OIDC_PROVIDERS_JSON or ""
    with _config_lock:
        if _config_cache is not None and _config_cache[0] == raw:
            return _config_cache[1]
        providers = parse_providers(raw)
        _config_cache = (raw, providers)
        return providers


def parse_providers(raw: str) -> dict[str, Provider]:
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise OidcConfigError(f"OIDC_PROVIDERS is not valid JSON: {exc}") from exc
    if not isinstance(data, list):
        raise OidcConfigError("OIDC_PROVIDERS must be a JSON list of provider objects")
    providers: dict[str, Provider] = {}
    for index, entry in enumerate(data):
        provider = _parse_provider(entry, index)
        if provider.name in providers:
            raise OidcConfigError(
                f"OIDC_PROVIDERS: provider '{provider.name}': key 'name' is used twice"
            )
        providers[provider.name] = provider
    return providers


def _parse_provider(entry: Any, index: int) -> Provider:
    if not isinstance(entry, dict):
        raise OidcConfigError(f"OIDC_PROVIDERS: entry {index} must be a JSON object")
    where = (
        f"provider '{entry['name']}'" if isinstance(entry.get("name"), str) else f"entry {index}"
    )

    def fail(key: str, problem: str) -> OidcConfigError:
        return OidcConfigError(f"OIDC_PROVIDERS: {where}: key '{key}' {problem}")

    unknown = sorted(set(entry) - KNOWN_KEYS)
    if unknown:
        raise fail(unknown[0], f"is unknown (known keys: {', '.join(sorted(KNOWN_KEYS))})")

    def text(key: str, default: str | None = None) -> str:
        value = entry.get(key, default)
        if value is None:
            raise fail(key, "is missing")
        if not isinstance(value, str):
            raise fail(key, "must be a string")
        return value.strip()

    def flag(key: str, default: bool) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise fail(key, "must be true or false")
        return value

    name = text("name")
    if not NAME_PATTERN.fullmatch(name):
        raise fail("name", "must be a slug of lower-case letters, digits, - and _ (at most 40)")
    issuer = text("issuer")
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise fail("issuer", "must be an https:// URL")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise fail("issuer", "must use https:// (plain http is only allowed on loopback)")
    client_id = text("client_id")
    if not client_id:
        raise fail("client_id", "is missing")
    client_auth = text("client_auth")
    if client_auth not in CLIENT_AUTH_METHODS:
        raise fail("client_auth", f"must be one of {', '.join(CLIENT_AUTH_METHODS)}")

    client_secret = ""
    private_key = None
    alg = text("client_assertion_alg", "")
    kid = text("private_key_kid", "")
    audience = text("client_assertion_audience", "token_endpoint")
    if audience not in ASSERTION_AUDIENCES:
        raise fail("client_assertion_audience", f"must be one of {', '.join(ASSERTION_AUDIENCES)}")
    if client_auth in ("client_secret_basic", "client_secret_post"):
        client_secret = text("client_secret", "")
        if not client_secret:
            raise fail("client_secret", f"is needed for client_auth {client_auth}")
    elif client_auth == "private_key_jwt":
        path = text("private_key_file", "")
        if not path:
            raise fail("private_key_file", "is needed for client_auth private_key_jwt")
        private_key, key_kid, key_alg = _load_private_key(path, fail)
        kid = kid or key_kid
        alg = alg or key_alg
        if alg not in CLIENT_ASSERTION_ALGORITHMS:
            raise fail(
                "client_assertion_alg", f"must be one of {', '.join(CLIENT_ASSERTION_ALGORITHMS)}"
            )

    scope = text("scope", "openid")
    if "openid" not in scope.split():
        raise fail("scope", "must include openid")
    hpr_claim = text("hpr_claim", DEFAULT_HPR_CLAIM)
    return Provider(
        name=name,
        label=text("label", name) or name,
        issuer=issuer,
        client_id=client_id,
        client_auth=client_auth,
        scope=" ".join(scope.split()),
        pkce=flag("pkce", True),
        hpr_claim=hpr_claim,
        create_users=flag("create_users", False),
        par=flag("par", False),
        acr_values=text("acr_values", ""),
        client_assertion_audience=audience,
        client_assertion_alg=alg,
        private_key_kid=kid,
        client_secret=client_secret,
        private_key=private_key,
    )


def _load_private_key(path: str, fail: Any) -> tuple[Any, str, str]:
    """The private key of a PEM or JWK file, its kid (JWK only) and default algorithm. Errors
    name the file, never its content."""
    try:
        content = Path(path).read_text()
    except OSError as exc:
        raise fail("private_key_file", f"cannot be read ({path}: {exc.strerror})") from None
    try:
        if content.lstrip().startswith("{"):
            data = json.loads(content)
            if isinstance(data, dict) and isinstance(data.get("keys"), list):
                if len(data["keys"]) != 1:
                    raise ValueError("a JWK set must hold exactly one key")
                data = data["keys"][0]
            key = import_key(data)
        else:
            key = None
            for key_type in ("RSA", "EC"):
                try:
                    key = import_key(content, key_type)  # type: ignore[arg-type]
                    break
                except Exception:  # noqa: S112 - try the next key type
                    continue
            if key is None:
                raise ValueError("not an RSA or EC key in PEM format")
    except Exception:
        # The exception text could quote the key material: do not pass it on.
        raise fail("private_key_file", f"is not a PEM or JWK private key ({path})") from None
    if not getattr(key, "is_private", False):
        raise fail("private_key_file", f"holds a public key, not a private key ({path})")
    if isinstance(key, RSAKey):
        alg = "RS256"
    elif isinstance(key, ECKey):
        alg = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}.get(key.curve_name, "")
    else:
        raise fail("private_key_file", f"must hold an RSA or EC key ({path})")
    return key, str(key.kid or ""), alg


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def provider_buttons() -> list[dict[str, str]]:
    """Buttons for the login page. A broken configuration is logged, not shown: the password
    login must keep working."""
    try:
        providers = configured_providers()
    except OidcConfigError:
        logger.exception("OIDC_PROVIDERS is invalid; OpenID Connect login is unavailable")
        return []
    return [
        {
            "name": name,
            "label": p.label,
            "url": reverse("oidc_login", kwargs={"provider": name}),
        }
        for name, p in providers.items()
    ]


# ---------------------------------------------------------------------------------------------
# Discovery and JWKS, cached per process


_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, Any]] = {}


def clear_caches() -> None:
    """Forget the parsed configuration, discovery documents and JWKS (tests, key rotation)."""
    global _config_cache
    with _config_lock:
        _config_cache = None
    with _cache_lock:
        _cache.clear()


def _fetch_json(url: str, *, force: bool = False) -> dict[str, Any]:
    now = time.monotonic()
    if not force:
        with _cache_lock:
            hit = _cache.get(url)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]  # type: ignore[no-any-return]
    response = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError(f"{url} did not return a JSON object")
    with _cache_lock:
        _cache[url] = (now, data)
    return data


def _metadata(provider: Provider) -> dict[str, Any]:
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        metadata = _fetch_json(url)
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC %s: discovery at %s failed: %s", provider.name, url, exc)
        raise ProviderError(
            _("Fikk ikke kontakt med %(label)s. Prøv igjen om litt.") % {"label": provider.label}
        ) from exc
    issuer = metadata.get("issuer")
    missing = [
        key
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(metadata.get(key), str)
    ]
    if missing or str(issuer).rstrip("/") != provider.issuer.rstrip("/"):
        logger.error(
            "OIDC %s: discovery document is unusable (issuer %r, missing %s)",
            provider.name,
            issuer,
            missing,
        )
        raise ProviderError(
            _("Oppsettet av %(label)s i Veiviser stemmer ikke med tjenesten.")
            % {"label": provider.label}
        )
    return metadata


def _jwks(provider: Provider, uri: str, *, force: bool = False) -> KeySet:
    try:
        data = _fetch_json(uri, force=force)
        keys = [
            key
            for key in data.get("keys", [])
            if isinstance(key, dict)
            and key.get("kty") in ("RSA", "EC")
            and key.get("use", "sig") == "sig"
        ]
        return KeySet.import_key_set({"keys": keys})
    except (requests.RequestException, ValueError, JoseError) as exc:
        logger.warning("OIDC %s: JWKS at %s unusable: %s", provider.name, uri, exc)
        raise ProviderError(
            _("Fikk ikke hentet nøklene til %(label)s. Prøv igjen om litt.")
            % {"label": provider.label}
        ) from exc


# ---------------------------------------------------------------------------------------------
# Views


def _provider_or_404(name: str) -> Provider:
    provider = configured_providers().get(name)
    if provider is None:
        raise Http404
    return provider


def _client(provider: Provider, metadata: dict[str, Any], redirect_uri: str) -> OAuth2Session:
    secret: Any = provider.client_secret or None
    if provider.client_auth == "private_key_jwt":
        secret = provider.private_key
    client = OAuth2Session(
        client_id=provider.client_id,
        client_secret=secret,
        scope=provider.scope,
        redirect_uri=redirect_uri,
        token_endpoint_auth_method=provider.client_auth,
        code_challenge_method="S256" if provider.pkce else None,
        default_timeout=HTTP_TIMEOUT,
    )
    if provider.client_auth == "private_key_jwt":
        audience = (
            metadata["issuer"]
            if provider.client_assertion_audience == "issuer"
            else metadata["token_endpoint"]
        )
        client.register_client_auth_method(
            PrivateKeyJWT(
                audience,
                headers={"kid": provider.private_key_kid} if provider.private_key_kid else None,
                alg=provider.client_assertion_alg,
            )
        )
    return client


def _pushed_authorization_url(
    config: Provider, metadata: dict[str, Any], client: OAuth2Session, url: str
) -> str:
    """Push the authorization request to the provider (RFC 9126, required by HelseID) and
    return the short URL the browser is sent to: only client_id and request_uri."""
    endpoint = metadata.get("pushed_authorization_request_endpoint")
    if not isinstance(endpoint, str):
        logger.error("OIDC %s: par is true but the provider has no PAR endpoint", config.name)
        raise ProviderError(
            _("Oppsettet av %(label)s i Veiviser stemmer ikke med tjenesten.")
            % {"label": config.label}
        )
    params = dict(parse_qsl(urlsplit(url).query))
    if config.client_auth in ("client_secret_post", "none"):
        params.pop("client_id")  # the client authentication adds it to the body
    try:
        response = client.post(
            endpoint,
            data=params,
            auth=client.client_auth(config.client_auth),
            withhold_token=True,
            headers={"Accept": "application/json"},
        )
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC %s: pushed authorization request failed: %s", config.name, exc)
        raise ProviderError(
            _("Fikk ikke kontakt med %(label)s. Prøv igjen om litt.") % {"label": config.label}
        ) from exc
    request_uri = data.get("request_uri") if isinstance(data, dict) else None
    if response.status_code not in (200, 201) or not isinstance(request_uri, str):
        error = data.get("error") if isinstance(data, dict) else None
        logger.warning(
            "OIDC %s: pushed authorization request refused (HTTP %s, %s)",
            config.name,
            response.status_code,
            error,
        )
        raise ProviderError(
            _("%(label)s avviste innloggingsforespørselen. Prøv igjen om litt.")
            % {"label": config.label}
        )
    query = urlencode({"client_id": config.client_id, "request_uri": request_uri})
    separator = "&" if "?" in metadata["authorization_endpoint"] else "?"
    return f"{metadata['authorization_endpoint']}{separator}{query}"


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@require_GET
@never_cache
def login(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to the provider's authorization endpoint."""
    config = _provider_or_404(provider)
    try:
        metadata = _metadata(config)
    except ProviderError as exc:
        return _error_page(request, config, str(exc))
    redirect_uri = request.build_absolute_uri(reverse("oidc_callback", args=[config.name]))
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = generate_token(64) if config.pkce else ""
    extra: dict[str, str] = {"nonce": nonce}
    if config.acr_values:
        extra["acr_values"] = config.acr_values
    with _client(config, metadata, redirect_uri) as client:
        url, _state = client.create_authorization_url(
            metadata["authorization_endpoint"],
            state=state,
            code_verifier=verifier or None,
            **extra,
        )
        if config.par:
            try:
                url = _pushed_authorization_url(config, metadata, client, url)
            except ProviderError as exc:
                return _error_page(request, config, str(exc))
    pending = {
        key: value
        for key, value in dict(request.session.get(SESSION_KEY) or {}).items()
        if isinstance(value, dict) and time.time() - value.get("t", 0) < PENDING_SECONDS
    }
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda k: pending[k].get("t", 0)))
    pending[state] = {
        "p": config.name,
        "n": nonce,
        "v": verifier,
        "r": redirect_uri,
        "next": _safe_next(request, request.GET.get("next")),
        "t": int(time.time()),
    }
    request.session[SESSION_KEY] = pending
    return HttpResponseRedirect(url)


# The claims (a fødselsnummer among them) must not show up in an error report's local
# variables either: every function that holds them hides its variables.
@sensitive_variables()
@require_GET
@never_cache
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Where the provider sends the browser back: check everything, then log the user in."""
    config = _provider_or_404(provider)
    try:
        pending = _take_pending(request, config)
        claims = _verified_claims(request, config, pending)
    except ProviderError as exc:
        return _error_page(request, config, str(exc))

    subject = claims["sub"]
    hpr_number = _hpr_number(config, claims)
    names = {
        "first_name": str(claims.get("given_name") or "")[:150],
        "last_name": str(claims.get("family_name") or "")[:150],
    }
    # Nothing else of the claims is used: drop them (the fødselsnummer is among them).
    del claims

    user, identity = _find_user(config, subject, hpr_number, names)
    if user is None:
        return _page(
            request,
            status=403,
            title=_("Du har ingen bruker i Veiviser ennå – be kommunen om tilgang"),
            lead=_(
                "Du er logget inn hos %(label)s, men ingen bruker i Veiviser hører til deg. "
                "Be lederen eller ALIS-koordinatoren i kommunen din om å gi deg tilgang."
            )
            % {"label": config.label},
        )
    if not user.is_active:
        return _page(
            request,
            status=403,
            title=_("Brukeren din i Veiviser er deaktivert – be kommunen om tilgang"),
            lead=_("Ta kontakt med den som administrerer Veiviser hos dere."),
        )

    from veiviser.accounts.services import record_login
    from veiviser.web.views.general import client_address

    with transaction.atomic():
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        record_login(user=user, address=client_address(request), method=f"oidc:{config.name}")
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))


def _take_pending(request: HttpRequest, config: Provider) -> dict[str, Any]:
    """The started login this callback belongs to, removed from the session (single use)."""
    state = request.GET.get("state", "")
    all_pending = dict(request.session.get(SESSION_KEY) or {})
    pending = all_pending.pop(state, None) if state else None
    if all_pending:
        request.session[SESSION_KEY] = all_pending
    else:
        request.session.pop(SESSION_KEY, None)
    if (
        not isinstance(pending, dict)
        or pending.get("p") != config.name
        or time.time() - pending.get("t", 0) >= PENDING_SECONDS
    ):
        logger.warning("OIDC %s: callback with unknown or expired state", config.name)
        raise ProviderError(
            _(
                "Innloggingen kunne ikke fullføres fordi svaret fra %(label)s ikke hørte til en "
                "innlogging som var i gang (ukjent eller utløpt state). Start innloggingen på nytt."
            )
            % {"label": config.label}
        )
    return pending


@sensitive_variables()
def _verified_claims(
    request: HttpRequest, config: Provider, pending: dict[str, Any]
) -> dict[str, Any]:
    error = request.GET.get("error")
    if error:
        code = re.sub(r"[^A-Za-z0-9_.-]", "", error)[:60]
        logger.warning("OIDC %s: provider returned error %s", config.name, code)
        if code in ("access_denied", "login_required", "consent_required"):
            raise ProviderError(
                _("Innloggingen hos %(label)s ble avbrutt. Start innloggingen på nytt.")
                % {"label": config.label}
            )
        raise ProviderError(
            _("%(label)s avviste innloggingen (feilkode %(code)s). Prøv igjen.")
            % {"label": config.label, "code": code}
        )
    code = request.GET.get("code")
    if not code:
        raise ProviderError(
            _("Svaret fra %(label)s manglet autorisasjonskoden. Start innloggingen på nytt.")
            % {"label": config.label}
        )
    metadata = _metadata(config)
    returned_issuer = request.GET.get("iss")
    if (returned_issuer or metadata.get("authorization_response_iss_parameter_supported")) and (
        returned_issuer != metadata["issuer"]
    ):
        logger.warning("OIDC %s: callback iss parameter does not match the issuer", config.name)
        raise ProviderError(
            _("Svaret kom ikke fra %(label)s. Start innloggingen på nytt.")
            % {"label": config.label}
        )

    token_failed = ProviderError(
        _(
            "Veiviser fikk ikke fullført innloggingen med %(label)s (innløsing av koden "
            "feilet). Start innloggingen på nytt."
        )
        % {"label": config.label}
    )
    try:
        with _client(config, metadata, pending["r"]) as client:
            token = client.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=pending["v"] or None,
            )
    except OAuthError as exc:
        logger.warning("OIDC %s: token request refused: %s", config.name, exc.error)
        raise token_failed from exc
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC %s: token request failed: %s", config.name, type(exc).__name__)
        raise token_failed from exc

    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        logger.warning("OIDC %s: token response has no ID token", config.name)
        raise _invalid_token(config)
    return _validate_id_token(
        config, metadata, id_token, nonce=pending["n"], access_token=token.get("access_token")
    )


def _invalid_token(config: Provider) -> ProviderError:
    return ProviderError(
        _(
            "Svaret fra %(label)s kunne ikke bekreftes (ugyldig ID-token). Start innloggingen "
            "på nytt."
        )
        % {"label": config.label}
    )


@sensitive_variables()
def _validate_id_token(
    config: Provider,
    metadata: dict[str, Any],
    id_token: str,
    *,
    nonce: str,
    access_token: str | None,
) -> dict[str, Any]:
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in ID_TOKEN_ALGORITHMS if alg in offered] or ["RS256"]
    try:
        try:
            decoded = jwt.decode(id_token, _jwks(config, metadata["jwks_uri"]), algorithms)
        except InvalidKeyIdError:
            # The provider may have rotated its keys since we cached them.
            keys = _jwks(config, metadata["jwks_uri"], force=True)
            decoded = jwt.decode(id_token, keys, algorithms)
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            options={
                "iss": {"essential": True, "value": metadata["issuer"]},
                "aud": {"essential": True, "value": config.client_id},
                "sub": {"essential": True},
                "nonce": {"essential": True, "value": nonce},
            },
            params={"nonce": nonce, "client_id": config.client_id, "access_token": access_token},
        )
        claims.validate(leeway=CLOCK_LEEWAY)
    except JoseError as exc:
        # joserfc's messages name the claim, never its value.
        logger.warning("OIDC %s: ID token rejected: %s", config.name, exc)
        raise _invalid_token(config) from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= 255:
        logger.warning("OIDC %s: ID token has an unusable sub", config.name)
        raise _invalid_token(config)
    if NATIONAL_ID_PATTERN.fullmatch(subject):
        # A provider that uses the fødselsnummer as sub: refuse rather than store it.
        logger.error("OIDC %s: sub looks like a national id number; refusing it", config.name)
        raise ProviderError(
            _(
                "%(label)s sender fødselsnummer som brukeridentitet, og det lagrer ikke "
                "Veiviser. Kontakt den som administrerer Veiviser."
            )
            % {"label": config.label}
        )
    return dict(claims)


@sensitive_variables()
def _hpr_number(config: Provider, claims: dict[str, Any]) -> str:
    if not config.hpr_claim:
        return ""
    value = claims.get(config.hpr_claim)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and HPR_PATTERN.fullmatch(value.strip()):
        return value.strip()
    if value not in (None, ""):
        logger.warning("OIDC %s: claim %s is not an HPR number", config.name, config.hpr_claim)
    return ""


def _find_user(
    config: Provider, subject: str, hpr_number: str, names: dict[str, str]
) -> tuple[Any, Any]:
    """The user for this login and its OidcIdentity (created when the user is found by HPR
    number or created), or (None, None)."""
    from veiviser.accounts.models import OidcIdentity, User
    from veiviser.audit.models import AuditEvent
    from veiviser.audit.services import record

    identity = (
        OidcIdentity.objects.select_related("user")
        .filter(provider=config.name, subject=subject)
        .first()
    )
    if identity is not None:
        if hpr_number and identity.hpr_number != hpr_number:
            identity.hpr_number = hpr_number
            identity.save(update_fields=["hpr_number"])
        return identity.user, identity

    user = None
    created = False
    if hpr_number:
        user = User.objects.filter(person__hpr_number=hpr_number).first()
    if user is None and not config.create_users:
        logger.info("OIDC %s: no Veiviser user for this login", config.name)
        return None, None
    try:
        with transaction.atomic():
            if user is None:
                user = User(
                    username=_new_username(config, subject),
                    first_name=names["first_name"],
                    last_name=names["last_name"],
                )
                user.set_unusable_password()
                user.save()
                created = True
                record(
                    actor=user,
                    action=AuditEvent.Action.CREATE,
                    instance=user,
                    summary=f"Bruker opprettet ved innlogging (oidc:{config.name})",
                )
            identity = OidcIdentity.objects.create(
                user=user, provider=config.name, subject=subject, hpr_number=hpr_number
            )
            record(
                actor=user,
                action=AuditEvent.Action.CREATE,
                instance=identity,
                after={"user": user.pk, "provider": config.name},
                summary=f"Innlogging med {config.label} koblet til brukeren",
            )
    except IntegrityError:
        # A parallel login of the same person created the link first.
        identity = OidcIdentity.objects.select_related("user").get(
            provider=config.name, subject=subject
        )
        return identity.user, identity
    logger.info(
        "OIDC %s: linked user %s (%s)", config.name, user.pk, "created" if created else "by HPR"
    )
    return user, identity


def _new_username(config: Provider, subject: str) -> str:
    digest = hashlib.sha256(f"{config.name}:{subject}".encode()).hexdigest()[:16]
    return f"{config.name[:20]}-{digest}"


# ---------------------------------------------------------------------------------------------
# Pages

_PAGE = """{% extends "base.html" %}{% load i18n %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<div class="vv-page-header vv-narrow">
  <p class="ds-paragraph vv-muted">{{ kicker }}</p>
  <h1 class="ds-heading" data-size="lg">{{ title }}</h1>
  <p class="vv-lead">{{ lead }}</p>
</div>
<div class="vv-cluster">
  {% if retry_url %}
    <a class="ds-button" data-variant="primary" href="{{ retry_url }}">
      {% translate "Prøv igjen" %}</a>
  {% endif %}
  <a class="ds-button" data-variant="secondary" href="{% url 'login' %}">
    {% translate "Til innloggingssiden" %}</a>
</div>
{% endblock %}
"""


def _page(
    request: HttpRequest, *, status: int, title: str, lead: str, retry_url: str = ""
) -> HttpResponse:
    template = engines["django"].from_string(_PAGE)
    kicker = _("Feil %(status)s") % {"status": status}
    body = template.render(
        {"title": title, "lead": lead, "kicker": kicker, "retry_url": retry_url}, request
    )
    return HttpResponse(body, status=status)


def _error_page(request: HttpRequest, config: Provider, message: str) -> HttpResponse:
    return _page(
        request,
        status=400,
        title=_("Innloggingen med %(label)s mislyktes") % {"label": config.label},
        lead=message,
        retry_url=reverse("oidc_login", args=[config.name]),
    )
