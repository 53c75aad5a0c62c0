"""Middleware: security headers every response carries (CSP, permissions policy), bokmål
first, and refusal of NUL characters in input."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# The interactive API docs load Swagger UI's inline bootstrap script.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            is_docs = request.path.startswith("/api/docs")
            response["Content-Security-Policy"] = DOCS_CSP if is_docs else CSP
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class NorwegianFirstMiddleware:
    """Bokmål first: the interface language is what the user chose (the language cookie), else
    Norwegian bokmål — never the browser's Accept-Language, so a Norwegian service does not
    turn English on a computer set up in English. Placed before LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


NUL = "\x00"


def _nul_field(request: HttpRequest) -> str | None:
    """The first place of the request's text input holding a NUL character, named for the user:
    PostgreSQL cannot store NUL in text, and no person types one, so such input is refused."""
    if NUL in request.path:
        return "path"
    for source, data in (("query", request.GET), ("form", request.POST)):
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values):
                return f"{source}.{key.replace(NUL, '')}"
    return None


class StripNulCookiesMiddleware:
    """Cookies holding a NUL are none of ours: drop them before the session looks one up (a
    NUL in the session key failed on PostgreSQL). Placed first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [n for n, v in request.COOKIES.items() if NUL in n or NUL in v]:
            del request.COOKIES[name]
        return self.get_response(request)


class RejectNulInputMiddleware:
    """Refuse a path, query or form holding a NUL character with 400 (pages) or the API's
    documented 422, naming the field, before any view hands it to the database. JSON bodies
    are checked by the API's parser (``veiviser.api.openapi.NulRefusingParser``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _nul_field(request)
        if field is None:
            return self.get_response(request)
        message = "contains a NUL character (\\u0000), which cannot be stored"
        if request.path.startswith("/api/"):
            body = {"detail": "invalid input", "errors": [{"field": field, "message": message}]}
            return JsonResponse(body, status=422)
        name = field.split(".", 1)[-1]
        problem = _("Feltet «%(field)s» inneholder et usynlig nulltegn (NUL) som ikke kan lagres.")
        context = {"problem": problem % {"field": name}}
        return render(request, "errors/400.html", context, status=400)
