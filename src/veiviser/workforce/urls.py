"""The workforce pages, under /stillinger/."""

from django.urls import path

from veiviser.workforce.views import exits, figures, register, transfer

urlpatterns = [
    path("", register.position_list, name="position_list"),
    path("<int:pk>/", register.position_detail, name="position_detail"),
    path("<int:pk>/ny/", register.occupancy_create, name="occupancy_create"),
    path("<int:pk>/utlysning/", register.posting_create, name="posting_create"),
    path("periode/<int:pk>/endre/", register.occupancy_edit, name="occupancy_edit"),
    path("periode/<int:pk>/avslutt/", register.occupancy_close, name="occupancy_close"),
    path(
        "periode/<int:pk>/sluttintervju/",
        register.exit_interview_edit,
        name="exit_interview_edit",
    ),
    path("utlysning/<int:pk>/", register.posting_edit, name="posting_edit"),
    path("importer/", transfer.workforce_import, name="workforce_import"),
    path("eksport/positions.csv", transfer.export_positions, name="workforce_export_positions"),
    path(
        "eksport/occupancies.csv",
        transfer.export_occupancies,
        name="workforce_export_occupancies",
    ),
    path("tall/", figures.figures, name="workforce_figures"),
    path("tidslinje/", figures.timeline, name="workforce_timeline"),
    path("tidslinje.svg", figures.timeline_svg, name="workforce_timeline_svg"),
    path("tidslinje.png", figures.timeline_png, name="workforce_timeline_png"),
    path("sluttintervju/", exits.exits, name="workforce_exits"),
    path("trivsel/", exits.stay_survey_list, name="stay_survey_list"),
    path("trivsel/<int:pk>/", exits.stay_survey_detail, name="stay_survey_detail"),
    path("trivsel/<int:pk>/svar/", exits.stay_answer_create, name="stay_answer_create"),
]
