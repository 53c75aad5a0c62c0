"""Users, their scoped roles, API tokens, OpenID Connect identities and login throttling."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Linked to the person register when the user is a person in it."""

    PERSONAL_DATA = ("username", "first_name", "last_name", "email", "last_login")

    person = models.OneToOneField(
        "core.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    def get_full_name(self) -> str:
        if self.person_id and self.person is not None:
            return self.person.full_name
        return super().get_full_name()


class Role(models.TextChoices):
    ALIS = "alis", _("ALIS")
    VEILEDER = "veileder", _("veileder")
    SUPERVISOR = "supervisor", _("supervisør")
    LEADER = "leader", _("kommunal leder")
    COORDINATOR = "coordinator", _("ALIS-koordinator")
    REGIONAL = "regional", _("regionalt ALIS-kontor")
    NATIONAL = "national", _("nasjonal lesetilgang")
    ADMIN = "admin", _("administrator")


MUNICIPAL_ROLES = (Role.ALIS, Role.VEILEDER, Role.SUPERVISOR, Role.LEADER, Role.COORDINATOR)


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> RoleAssignmentQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class RoleAssignment(models.Model):
    """One role of one user, scoped to a municipality or a regional office where the role needs
    it. A person may hold several (an inter-municipal veileder has one per municipality)."""

    PERSONAL_DATA: tuple[str, ...] = ()

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("bruker")
    )
    role = models.CharField(_("rolle"), max_length=16, choices=Role.choices)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("kommune"),
    )
    regional_office = models.ForeignKey(
        "core.RegionalOffice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("regionalt ALIS-kontor"),
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[r.value for r in MUNICIPAL_ROLES],
                        municipality__isnull=False,
                        regional_office__isnull=True,
                    )
                    | Q(
                        role=Role.REGIONAL, regional_office__isnull=False, municipality__isnull=True
                    )
                    | Q(
                        role__in=[Role.NATIONAL, Role.ADMIN],
                        municipality__isnull=True,
                        regional_office__isnull=True,
                    )
                ),
                name="role_assignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality", "regional_office"],
                name="role_assignment_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.municipality or self.regional_office or ""
        return f"{self.get_role_display()} {where}".strip()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def authenticate(self, raw: str) -> ApiToken | None:
        token = (
            self.filter(key_hash=_hash_token(raw), revoked_at__isnull=True)
            .select_related("user")
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        return token


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    PERSONAL_DATA: tuple[str, ...] = ()
    PREFIX = "vv_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("navn"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def new_raw_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)


class OidcIdentity(models.Model):
    """The link between a user and an OpenID Connect provider's subject. Never a fødselsnummer."""

    PERSONAL_DATA = ("subject", "hpr_number")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    provider = models.CharField(max_length=40)
    subject = models.CharField(max_length=255)
    hpr_number = models.CharField(max_length=9, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="oidc_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.user_id}"


class LoginFailure(models.Model):
    """A failed password login, kept for throttling (see services.check_login_allowed)."""

    PERSONAL_DATA = ("username", "address")

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
