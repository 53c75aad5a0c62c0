"""OpenID Connect login (HelseID, ID-porten, …), configured per provider in OIDC_PROVIDERS."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse


def configured_providers() -> dict[str, dict[str, Any]]:
    raw = settings.OIDC_PROVIDERS_JSON
    if not raw:
        return {}
    data = json.loads(raw)
    return {p["name"]: p for p in data}


def provider_buttons() -> list[dict[str, str]]:
    return [
        {"name": name, "label": p.get("label", name),
         "url": reverse("oidc_login", kwargs={"provider": name})}
        for name, p in configured_providers().items()
    ]


def login(request: HttpRequest, provider: str) -> HttpResponse:
    raise Http404


def callback(request: HttpRequest, provider: str) -> HttpResponse:
    raise Http404
