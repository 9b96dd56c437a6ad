from django.urls import path

from kinerja.cases import calendar_admin, meetings, views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mulai/", views.start, name="start"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/batal/", views.case_cancel, name="cancel"),
    path("<int:case_id>/catatan/", views.case_annotate, name="annotate"),
    path("tugas/<int:task_id>/", views.task_detail, name="task"),
    path("tugas/<int:task_id>/selesai/", views.task_complete, name="complete"),
    path("tugas/<int:task_id>/ambil/", views.task_take, name="take"),
    path("tugas/berkas/<int:file_id>/", views.task_file, name="file"),
    path("notifikasi/dibaca/", views.notifications_read, name="notifications_read"),
    path("tugas/<int:task_id>/disposisi/", views.task_delegate, name="delegate"),
    path("tugas/<int:task_id>/rapat/", meetings.schedule, name="meeting"),
    path("tugas/<int:task_id>/rapat/notulensi/", meetings.minutes, name="minutes"),
    path("tugas/<int:task_id>/rapat/daftar-hadir/", meetings.attendance_sheet, name="attendance"),
    path("tugas/<int:task_id>/rapat/nomor/", meetings.invitation_number, name="invitation_number"),
    path("sla/<int:sop_id>/", views.sla, name="sla"),
    path("kalender/<str:code>/", calendar_admin.overrides_page, name="calendar"),
]
