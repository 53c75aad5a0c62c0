"""The pages of veiviser.annual (included at the site root; each path carries its own prefix)."""

from django.urls import path

from veiviser.annual import views

urlpatterns = [
    path("arsrapport/region/<int:pk>/", views.annual_report_region, name="annual_report_region"),
    path("arsrapport/<str:number>/", views.annual_report_current, name="annual_report_current"),
    path("arsrapport/<str:number>/<int:year>/", views.annual_report, name="annual_report"),
    path(
        "arsrapport/<str:number>/<int:year>/arsrapport.xlsx",
        views.annual_report_xlsx,
        name="annual_report_xlsx",
    ),
    path(
        "arsrapport/<str:number>/<int:year>/arsrapport.pdf",
        views.annual_report_pdf,
        name="annual_report_pdf",
    ),
]
