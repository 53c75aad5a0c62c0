"""The pages of veiviser.cycle (included at the site root; each path carries its own prefix)."""

from django.urls import path

from veiviser.cycle.views import assessment, project, workspace

P = "rekruttere-beholde/<str:number>/"

urlpatterns = [
    path("rekruttere-beholde/", workspace.cycle_overview, name="cycle_overview"),
    path(P, workspace.cycle_workspace, name="cycle_workspace"),
    path(P + "mal/", workspace.cycle_template, name="cycle_template"),
    path(P + "oppgaver/ny/", workspace.cycle_task_create, name="cycle_task_create"),
    path(P + "oppgaver/<int:pk>/", workspace.cycle_task_detail, name="cycle_task_detail"),
    path(P + "oppgaver/<int:pk>/endre/", workspace.cycle_task_edit, name="cycle_task_edit"),
    path(P + "oppgaver/<int:pk>/status/", workspace.cycle_task_status, name="cycle_task_status"),
    path(
        P + "oppgaver/<int:pk>/dokumentasjon/",
        workspace.cycle_evidence_add,
        name="cycle_evidence_add",
    ),
    path(
        P + "oppgaver/<int:pk>/dokumentasjon/<int:ev>/",
        workspace.cycle_evidence_file,
        name="cycle_evidence_file",
    ),
    path(P + "kommentar/", workspace.cycle_comment, name="cycle_comment"),
    path(P + "egenvurdering/", assessment.cycle_assessment, name="cycle_assessment"),
    path(
        P + "egenvurdering/<int:year>/",
        assessment.cycle_assessment_edit,
        name="cycle_assessment_edit",
    ),
    path(
        P + "nokkeltall/<int:year>/",
        assessment.cycle_parameters_edit,
        name="cycle_parameters_edit",
    ),
    path(P + "prosjekt/", project.cycle_project, name="cycle_project"),
    path(P + "prosjekt/<int:pk>/", project.cycle_entry_edit, name="cycle_entry_edit"),
]
