"""The pages of veiviser.agreements (included at the site root; paths carry their prefix)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
