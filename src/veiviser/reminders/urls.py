"""The pages of veiviser.reminders (included at the site root; each path carries its own prefix)."""

from django.urls import path

from veiviser.reminders import views

urlpatterns = [
    path("jobber/", views.job_list, name="job_list"),
]
