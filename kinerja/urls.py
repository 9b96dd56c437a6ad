from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from kinerja.organisation import views as organisation_views

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", set_language, name="set_language"),
    path("akun/", include("kinerja.organisation.account_urls")),
    path("organisasi/", include("kinerja.organisation.urls")),
    path("sop/", include("kinerja.procedures.urls")),
    path("kasus/", include("kinerja.cases.urls")),
    path("kinerja/", include("kinerja.performance.urls")),
    path("dokumen/", include("kinerja.documents.urls")),
    path("api/v1/", include("kinerja.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
