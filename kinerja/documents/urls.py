from django.urls import path

from kinerja.documents import views

app_name = "documents"

urlpatterns = [
    path("verifikasi/<str:token>/", views.verify, name="verify"),
    path("d/<int:pk>/", views.document_detail, name="document"),
    path("d/<int:pk>/banding/", views.compare, name="compare"),
    path("d/<int:pk>/<str:what>/", views.version_post, name="post"),
    path("v/<int:pk>/unduh/<str:fmt>/", views.download, name="download"),
    path("tugas/<int:agency_id>/<str:name>/", views.action_start, name="action_start"),
    path("rapat/<int:meeting_id>/", views.meeting_document, name="meeting_document"),
    path("<str:code>/", views.agency_documents, name="agency"),
    path("<str:code>/surat/", views.letters, name="letters"),
    path("<str:code>/penomoran/", views.numbering, name="numbering"),
    path("<str:code>/arsip/", views.archive, name="archive"),
    path("<str:code>/arsip/paket/<int:year>/", views.package, name="package"),
    path("<str:code>/templat/", views.word_templates, name="templates"),
    path(
        "<str:code>/templat/<str:kind>/<str:which>/",
        views.template_download,
        name="template_download",
    ),
]
