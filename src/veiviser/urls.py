from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from veiviser.api.api import api
from veiviser.web.views import accounts, general, municipalities, people, privacy

urlpatterns = [
    path("healthz", general.healthz, name="healthz"),
    path("", general.home, name="home"),
    path("om/", general.about, name="about"),
    path("logg-inn/", general.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", set_language, name="set_language"),
    path("oidc/", include("veiviser.accounts.oidc_urls")),
    path("kommuner/", municipalities.municipality_list, name="municipality_list"),
    path("min-kommune/", municipalities.my_municipality, name="my_municipality"),
    path("kommuner/sentralitet/", municipalities.centrality_import, name="centrality_import"),
    path("kommuner/<str:number>/", municipalities.municipality_detail, name="municipality_detail"),
    path(
        "kommuner/<str:number>/endre/", municipalities.municipality_edit, name="municipality_edit"
    ),
    path("kommuner/<str:number>/legekontor/ny/", municipalities.office_edit, name="office_create"),
    path(
        "kommuner/<str:number>/legekontor/<int:pk>/", municipalities.office_edit, name="office_edit"
    ),
    path("regionkontor/", municipalities.regional_office_list, name="regional_office_list"),
    path("personer/", people.person_list, name="person_list"),
    path("personer/ny/", people.person_edit, name="person_create"),
    path("personer/<int:pk>/", people.person_detail, name="person_detail"),
    path("personer/<int:pk>/endre/", people.person_edit, name="person_edit"),
    path("personer/<int:pk>/bruker/", people.person_create_user, name="person_create_user"),
    path("personer/<int:pk>/roller/", people.role_add, name="role_add"),
    path(
        "personer/<int:pk>/roller/<int:assignment_pk>/fjern/",
        people.role_remove,
        name="role_remove",
    ),
    path(
        "personer/<int:pk>/personvern/eksport.json",
        privacy.privacy_export,
        name="privacy_export",
    ),
    path(
        "personer/<int:pk>/personvern/pseudonymiser/",
        privacy.privacy_erase,
        name="privacy_erase",
    ),
    path("personvern/sletting/", privacy.privacy_purge, name="privacy_purge"),
    path("logg/", accounts.audit_list, name="audit_list"),
    path("api-nokler/", accounts.token_list, name="token_list"),
    path("api-nokler/<int:pk>/trekk-tilbake/", accounts.token_revoke, name="token_revoke"),
    path("alis/", include("veiviser.training.urls")),
    path("", include("veiviser.training.urls_public")),
    path("dokumenter/", include("veiviser.documents.urls")),
    path("stillinger/", include("veiviser.workforce.urls")),
    path("", include("veiviser.agreements.urls")),
    path("", include("veiviser.planning.urls")),
    path("", include("veiviser.cycle.urls")),
    path("", include("veiviser.regional.urls")),
    path("", include("veiviser.annual.urls")),
    path("", include("veiviser.reminders.urls")),
    path("api/", api.urls),
]

handler400 = "veiviser.web.errors.bad_request"
handler403 = "veiviser.web.errors.permission_denied"
handler404 = "veiviser.web.errors.page_not_found"
handler500 = "veiviser.web.errors.server_error"
