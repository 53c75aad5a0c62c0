"""The navigation shown in the header, by the user's roles."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for


def nav_entries(request: HttpRequest) -> list[tuple[str, str]]:
    scope = scope_for(request.user)
    if scope.user_id is None:
        return []
    entries = [(_("Oversikt"), reverse("home"))]
    if scope.managed_municipality_ids and not scope.is_admin:
        entries.append((_("Min kommune"), reverse("my_municipality")))
    if (
        scope.sees_everything
        or scope.managed_municipality_ids
        or scope.region_ids
        or (scope.roles & {"veileder", "supervisor"})
    ):
        entries.append((_("ALIS"), reverse("trainee_list")))
    if scope.sees_everything or scope.region_ids:
        entries.append((_("Region"), reverse("region_index")))
    if scope.sees_everything or scope.managed_municipality_ids or scope.region_ids:
        entries.append((_("Stillinger"), reverse("position_list")))
        entries.append((_("Rekruttere og beholde"), reverse("cycle_overview")))
        entries.append((_("Kommuner"), reverse("municipality_list")))
        entries.append((_("Personer"), reverse("person_list")))
    if scope.is_admin or scope.leader_municipality_ids:
        entries.append((_("Logg"), reverse("audit_list")))
    if scope.is_admin:
        entries.append((_("Jobber"), reverse("job_list")))
        entries.append((_("Personvern"), reverse("privacy_purge")))
    entries.append((_("API-nøkler"), reverse("token_list")))
    return entries


MUNICIPALITY_PAGE = re.compile(r"^/kommuner/\d{4}/")


def navigation(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    entries = nav_entries(request)
    mine = reverse("my_municipality")
    # a leader's or coordinator's own municipality pages belong to "Min kommune"
    own_page = any(url == mine for _label, url in entries) and MUNICIPALITY_PAGE.match(path)
    items = []
    for label, url in entries:
        if url == mine:
            active = bool(own_page) or path.startswith(url)
        elif own_page and url == reverse("municipality_list"):
            active = False
        else:
            active = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
