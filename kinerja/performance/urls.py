from django.urls import path

from kinerja.performance.views import (
    analysis,
    plan_edit,
    plan_structure,
    planning,
    rounds,
    transfer,
)

app_name = "performance"
urlpatterns = [
    path("", planning.index, name="index"),
    path("indikator/<int:pk>/", planning.indicator_detail, name="indicator"),
    path("putaran/<int:pk>/", rounds.round_detail, name="round"),
    path("putaran/<int:pk>/ingatkan/<str:unit_code>/", rounds.round_remind, name="round_remind"),
    path("putaran/<int:pk>/buka-kembali/", rounds.round_reopen, name="round_reopen"),
    path("putaran/<int:pk>/tinjau/<str:unit_code>/", rounds.round_review, name="round_review"),
    path("putaran/<int:pk>/tandai/<str:step>/", rounds.round_mark, name="round_mark"),
    path("putaran/<int:pk>/unit/<str:unit_code>/", rounds.unit_form, name="unit_form"),
    path(
        "putaran/<int:pk>/unit/<str:unit_code>/formulir.xlsx",
        rounds.form_download,
        name="form_download",
    ),
    path(
        "putaran/<int:pk>/unit/<str:unit_code>/bukti/<int:evidence_id>/",
        rounds.evidence_file,
        name="evidence",
    ),
    path("instansi/<int:agency_id>/putaran/", rounds.round_start, name="round_start"),
    path("instansi/<int:agency_id>/analisis/", analysis.analysis_start, name="analysis_start"),
    path("<str:code>/", planning.agency_home, name="agency"),
    path("<str:code>/renstra/<int:pk>/", planning.plan_detail, name="plan"),
    path("<str:code>/renstra/ekspor.xlsx", transfer.plan_export, name="plan_export"),
    path("<str:code>/renstra/impor/", transfer.plan_import, name="plan_import"),
    path("<str:code>/putaran/baru/", rounds.open_round, name="round_open"),
    path("<str:code>/capaian/<str:period>/", planning.achievement_page, name="achievement"),
    path("<str:code>/analisis/<int:year>/", analysis.analysis_page, name="analysis"),
    path("<str:code>/renstra/<int:plan_pk>/tujuan-baru/", plan_structure.goal_add, name="goal_add"),
    path("<str:code>/tujuan/<int:pk>/ubah/", plan_structure.goal_edit, name="goal_edit"),
    path(
        "<str:code>/renstra/<int:plan_pk>/sasaran-baru/",
        plan_structure.objective_add,
        name="objective_add",
    ),
    path("<str:code>/sasaran/<int:pk>/ubah/", plan_structure.objective_edit, name="objective_edit"),
    path("<str:code>/indikator/<int:pk>/ubah/", plan_edit.indicator_edit, name="indicator_edit"),
    path(
        "<str:code>/indikator/<int:pk>/pensiun/",
        plan_edit.indicator_retire,
        name="indicator_retire",
    ),
    path(
        "<str:code>/sasaran/<int:objective_pk>/indikator-baru/",
        plan_edit.indicator_add,
        name="indicator_add",
    ),
    path("<str:code>/pk/<int:year>/", plan_edit.agreement_page, name="agreement"),
    path("<str:code>/pk/<int:year>/perubahan/", plan_edit.agreement_amend, name="agreement_amend"),
    path(
        "<str:code>/pk/<int:year>/v<int:version>/ubah/",
        plan_edit.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "<str:code>/pk/<int:year>/v<int:version>/tandatangani/",
        plan_edit.agreement_sign,
        name="agreement_sign",
    ),
    path(
        "<str:code>/rencana-aksi/<int:year>/", plan_edit.action_plan_edit, name="action_plan_edit"
    ),
    path("<str:code>/anggaran/<int:year>/", plan_edit.budget_edit, name="budget_edit"),
]
