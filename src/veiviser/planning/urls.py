"""The pages of veiviser.planning (included at the site root; each path carries its own prefix)."""

from django.urls import path

from veiviser.planning.views import costs, locum

urlpatterns = [
    path("vikarplan/<str:number>/", locum.plan, name="locum_plan"),
    path("vikarplan/<str:number>/fravaer/ny/", locum.absence_create, name="absence_create"),
    path("vikarplan/fravaer/<int:pk>/endre/", locum.absence_edit, name="absence_edit"),
    path("vikarplan/fravaer/<int:pk>/slett/", locum.absence_delete, name="absence_delete"),
    path("vikarplan/<str:number>/vikar/ny/", locum.locum_create, name="locum_create"),
    path("kostnader/region/<int:pk>/", costs.region, name="cost_region"),
    path("kostnader/post/<int:pk>/endre/", costs.entry_edit, name="cost_entry_edit"),
    path("kostnader/post/<int:pk>/slett/", costs.entry_delete, name="cost_entry_delete"),
    path("kostnader/<str:number>/", costs.overview, name="cost_overview"),
    path("kostnader/<str:number>/ny/", costs.entry_create, name="cost_entry_create"),
    path("kostnader/<str:number>/tilskudd/", costs.grant_edit, name="grant_received_edit"),
    path("kostnader/<str:number>/importer/", costs.cost_import, name="cost_import"),
]
