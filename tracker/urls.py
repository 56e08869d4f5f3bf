from django.contrib.auth import views as auth_views
from django.urls import path

from tracker.accounts import views as accounts
from tracker.accounts.forms import LoginForm
from tracker.advice import views as advice
from tracker.app import language
from tracker.app import views as app
from tracker.data import views as data
from tracker.diary import views as diary
from tracker.experiments import views as experiments
from tracker.reminders import views as reminders
from tracker.summary import views as summary
from tracker.trends import views as trends

urlpatterns = [
    path("language/", language.choose_language, name="choose_language"),
    path("language/<str:language>/words.js", language.js_catalog, name="js_catalog"),
    path("", diary.today, name="today"),
    path("log/water/", diary.quick_drink, name="quick_drink"),
    path("log/checkin/", diary.night_checkin, name="night_checkin"),
    path("log/cramp/now/", diary.cramp_start, name="cramp_start"),
    path("log/cramp/<uuid:cramp_uuid>/detail/", diary.cramp_detail, name="cramp_detail"),
    path("log/cramp/<uuid:cramp_uuid>/stopped/", diary.cramp_stop, name="cramp_stop"),
    path("log/<slug:kind>/", diary.entry_create, name="entry_create"),
    path("entries/<slug:kind>/<int:pk>/edit/", diary.entry_edit, name="entry_edit"),
    path("entries/<slug:kind>/<int:pk>/delete/", diary.entry_delete, name="entry_delete"),
    path("entries/undo/", diary.entry_undo, name="entry_undo"),
    path("history/", diary.history, name="history"),
    path("tips/", advice.tips_page, name="tips"),
    path("prompts/<slug:rule_id>/seen/", diary.acknowledge_prompt, name="acknowledge_prompt"),
    path("trends/", trends.trends, name="trends"),
    path("trends/data/", trends.trends_data, name="trends_data"),
    path("summary/", summary.summary_page, name="summary"),
    path("summary/pdf/", summary.summary_pdf_view, name="summary_pdf"),
    path("summary/links/", summary.share_links, name="share_links"),
    path("summary/links/<int:pk>/revoke/", summary.share_revoke, name="share_revoke"),
    path("s/<str:token>/", summary.shared_summary, name="shared_summary"),
    path("s/<str:token>/pdf/", summary.shared_pdf, name="shared_pdf"),
    path("data/", data.my_data, name="my_data"),
    path("data/export.json", data.export_json, name="export_json"),
    path("data/export-csv.zip", data.export_csv, name="export_csv"),
    path("data/fhir.json", data.export_fhir, name="export_fhir"),
    path("medicines/", diary.medicines, name="medicines"),
    path("more/", diary.more, name="more"),
    path("experiments/", experiments.experiments, name="experiments"),
    path("experiments/done-today/", experiments.experiment_done, name="experiment_done"),
    path("experiments/<int:pk>/", experiments.experiment, name="experiment"),
    path("experiments/<int:pk>/<slug:action>/", experiments.experiment_control, name="experiment_control"),
    path("reminders/", reminders.reminders, name="reminders"),
    path("reminders/devices/", reminders.device_add, name="reminder_device_add"),
    path("reminders/devices/<int:pk>/remove/", reminders.device_remove, name="reminder_device_remove"),
    path("reminders/test/", reminders.send_test_reminder, name="reminder_test"),
    path("reminders/no-cramps/", reminders.no_cramps, name="reminders_no_cramps"),
    path("reminders/answer/<str:token>/", reminders.answer_no_cramps, name="reminders_answer"),
    path("reminders/email-off/<str:token>/", reminders.email_off, name="reminders_email_off"),
    path("theme/", app.choose_theme, name="choose_theme"),
    path("offline/", app.offline, name="offline"),
    path("sw.js", app.service_worker, name="service_worker"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/delete/", accounts.delete_account, name="delete_account"),
    path("accounts/email/confirm/<str:token>/", accounts.confirm_email, name="confirm_email"),
    path("accounts/email/resend/", accounts.resend_confirmation, name="resend_confirmation"),
    path("accounts/reset/", accounts.ResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/", accounts.ResetConfirmView.as_view(), name="password_reset_confirm"
    ),
]
