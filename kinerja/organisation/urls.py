from django.urls import path

from kinerja.organisation import views

app_name = "organisation"
urlpatterns = [
    path("<str:code>/", views.agency_detail, name="agency"),
    path("<str:code>/impor/", views.structure_import, name="structure_import"),
    path("<str:code>/ekspor.xlsx", views.structure_export, name="structure_export"),
]
