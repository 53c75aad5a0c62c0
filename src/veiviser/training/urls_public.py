"""Top-level pages of the learning goals: the public page of a one-time recommendation link (no
login) and the goal catalogues."""

from django.urls import path

from veiviser.training.views import catalogues, goals

urlpatterns = [
    path("anbefal/<str:token>/", goals.recommend_by_link, name="recommend_by_link"),
    path("kataloger/", catalogues.catalogue_list, name="catalogue_list"),
    path("kataloger/importer/", catalogues.catalogue_import, name="catalogue_import"),
    path("kataloger/<int:pk>/", catalogues.catalogue_detail, name="catalogue_detail"),
]
