from django.urls import path

from kinerja.organisation import region_views, views

app_name = "organisation"
urlpatterns = [
    # The regional administrator's pages, under their own prefix: an agency's code is one
    # segment, so "wilayah/<code>/" never shadows an agency (docs/regions.md).
    path("wilayah/<str:region>/", region_views.region_detail, name="region"),
    path(
        "wilayah/<str:region>/dua-langkah/",
        region_views.region_two_factor,
        name="region_two_factor",
    ),
    path("wilayah/<str:region>/instansi-baru/", region_views.agency_create, name="agency_create"),
    path("<str:code>/", views.agency_detail, name="agency"),
    path("<str:code>/ubah/", region_views.agency_edit, name="agency_edit"),
    path("<str:code>/administrator/", region_views.agency_admins, name="agency_admins"),
    path("<str:code>/impor/", views.structure_import, name="structure_import"),
    path("<str:code>/ekspor.xlsx", views.structure_export, name="structure_export"),
    path("<str:code>/undang/", views.invite, name="invite"),
    path("<str:code>/kode-aktivasi/", views.activation_codes, name="activation_codes"),
]
