from django.urls import path

from kinerja.documents import views

app_name = "documents"

urlpatterns = [
    path("verifikasi/<str:token>/", views.verify, name="verify"),
]
