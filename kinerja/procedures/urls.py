from django.urls import path

from kinerja.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.registry, name="registry"),
    path("<str:code>/", views.registry, name="agency_registry"),
    path("<str:code>/unggah/", views.sop_upload, name="upload"),
    path("<str:code>/<int:pk>/", views.sop_detail, name="sop"),
    path("<str:code>/<int:pk>/versi/", views.sop_versions, name="versions"),
    path("<str:code>/<int:pk>/v<int:number>.pdf", views.sop_pdf, name="pdf"),
    path("<str:code>/<int:pk>/v<int:number>.yaml", views.sop_yaml, name="yaml"),
    path("<str:code>/<int:pk>/v<int:number>.bpmn", views.sop_bpmn, name="bpmn"),
    path("<str:code>/<int:pk>/v<int:number>/sahkan/", views.sop_approve, name="approve"),
]
