"""The pages of veiviser.regional (included at the site root; each path carries its own prefix)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
