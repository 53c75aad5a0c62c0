"""URL patterns of the documents app, mounted at /dokumenter/."""

from django.urls import path

from veiviser.documents import views

urlpatterns = [
    path(
        "kommuner/<str:number>/utdanningsplan/",
        views.municipal_plan,
        name="municipal_plan",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan/endre/",
        views.municipal_plan_edit,
        name="municipal_plan_edit",
    ),
    path(
        "kommuner/<str:number>/utdanningsplan.pdf",
        views.municipal_plan_pdf,
        name="municipal_plan_pdf",
    ),
    path(
        "alis/<int:pk>/utdanningsplan.pdf",
        views.training_plan_pdf,
        name="training_plan_pdf",
    ),
    path(
        "alis/<int:pk>/attest/<str:number>.pdf",
        views.service_certificate_pdf,
        name="service_certificate_pdf",
    ),
]
