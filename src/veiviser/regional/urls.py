"""The pages of veiviser.regional (included at the site root; each path carries its own prefix)."""

from django.urls import path

from veiviser.regional import views

urlpatterns = [
    path("region/", views.region_index, name="region_index"),
    path("region/<int:pk>/", views.region_dashboard, name="region_dashboard"),
    path("region/<int:pk>/kvalitet/", views.region_quality, name="region_quality"),
    path("region/<int:pk>/veiledere/", views.veileder_pool, name="veileder_pool"),
    path(
        "region/<int:pk>/veiledere/ny/",
        views.veileder_profile_create,
        name="veileder_profile_create",
    ),
    path(
        "region/<int:pk>/veiledere/<int:profile_pk>/",
        views.veileder_profile_edit,
        name="veileder_profile_edit",
    ),
    path("region/<int:pk>/kobling/", views.region_matching, name="region_matching"),
    path("region/<int:pk>/kobling/koble/", views.region_connect, name="region_connect"),
]
