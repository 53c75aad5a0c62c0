"""URL patterns of the documents app."""

urlpatterns: list = []
