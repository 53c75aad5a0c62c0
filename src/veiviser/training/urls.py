"""The ALIS training record's pages, under /alis/."""

from django.urls import include, path

from veiviser.training.views import progress, trainees, transfers

urlpatterns = [
    path("", trainees.trainee_list, name="trainee_list"),
    path("ny/", trainees.trainee_create, name="trainee_create"),
    path("importer/", progress.progress_import, name="progress_import"),
    path("flyttinger/", transfers.transfer_list, name="transfer_list"),
    path("flyttinger/<int:pk>/overta/", transfers.transfer_accept, name="transfer_accept"),
    path("flyttinger/<int:pk>/avslutt/", transfers.transfer_close, name="transfer_close"),
    path("<int:pk>/flytt/", transfers.trainee_transfer, name="trainee_transfer"),
    path("<int:pk>/", trainees.trainee_detail, name="trainee_detail"),
    path("<int:pk>/endre/", trainees.trainee_edit, name="trainee_edit"),
    path("<int:pk>/veiledere/", trainees.mentor_add, name="mentor_add"),
    path("<int:pk>/progresjonsfil.json", progress.progress_export, name="progress_export"),
    path("", include("veiviser.training.urls_record")),
    path("", include("veiviser.training.urls_goals")),
]
