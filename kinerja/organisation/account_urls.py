"""The account pages, under /akun/ (docs/accounts.md)."""

from django.urls import path

from kinerja.organisation import account_views as views

app_name = "accounts"
urlpatterns = [
    path("aktivasi/", views.activate, name="activate"),
    path("undangan/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("lupa-sandi/", views.reset_request, name="reset"),
    path("lupa-sandi/terkirim/", views.reset_sent, name="reset_sent"),
    path("sandi-baru/<uidb64>/<token>/", views.ResetConfirmView.as_view(), name="reset_confirm"),
    path("verifikasi/", views.verify, name="verify"),
    path("dua-langkah/", views.two_factor_setup, name="two_factor"),
]
