"""Learning goals of one ALIS, under /alis/<pk>/mal/: the plan's goal list, one goal, its
sign-off actions, one-time supervisor links and evidence files."""

from django.urls import path

from veiviser.training.views import goals

urlpatterns = [
    path("<int:pk>/mal/", goals.goal_list, name="goal_list"),
    path("<int:pk>/mal/<str:code>/", goals.goal_detail, name="goal_detail"),
    path("<int:pk>/mal/<str:code>/handling/", goals.goal_act, name="goal_act"),
    path("<int:pk>/mal/<str:code>/lenke/", goals.goal_link, name="goal_link"),
    path("<int:pk>/mal/<str:code>/bevis/<int:ev>/", goals.goal_evidence, name="goal_evidence"),
]
