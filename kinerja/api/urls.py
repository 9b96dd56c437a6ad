from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from kinerja.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/<str:code>/achievement/", views.agency_achievement, name="achievement"),
    path("agencies/<str:code>/letters/", views.agency_letters, name="letters"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task-complete"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
]
