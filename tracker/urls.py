from django.contrib.auth import views as auth_views
from django.urls import path

from tracker import accounts, advice, pwa, reports, trends, views
from tracker.forms import LoginForm

urlpatterns = [
    path("", views.today, name="today"),
    path("log/water/", views.quick_drink, name="quick_drink"),
    path("log/checkin/", views.night_checkin, name="night_checkin"),
    path("log/<slug:kind>/", views.entry_create, name="entry_create"),
    path("entries/<slug:kind>/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<slug:kind>/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("history/", views.history, name="history"),
    path("tips/", advice.tips_page, name="tips"),
    path("prompts/<slug:rule_id>/seen/", views.acknowledge_prompt, name="acknowledge_prompt"),
    path("trends/", trends.trends, name="trends"),
    path("trends/data/", trends.trends_data, name="trends_data"),
    path("summary/", reports.summary_page, name="summary"),
    path("summary/pdf/", reports.summary_pdf_view, name="summary_pdf"),
    path("summary/details/", reports.summary_details, name="summary_details"),
    path("summary/links/", reports.share_links, name="share_links"),
    path("summary/links/<int:pk>/revoke/", reports.share_revoke, name="share_revoke"),
    path("s/<str:token>/", reports.shared_summary, name="shared_summary"),
    path("s/<str:token>/pdf/", reports.shared_pdf, name="shared_pdf"),
    path("data/", reports.my_data, name="my_data"),
    path("data/export.json", reports.export_json, name="export_json"),
    path("data/export-csv.zip", reports.export_csv, name="export_csv"),
    path("data/fhir.json", reports.export_fhir, name="export_fhir"),
    path("medicines/", views.medicines, name="medicines"),
    path("more/", views.more, name="more"),
    path("theme/", pwa.choose_theme, name="choose_theme"),
    path("offline/", pwa.offline, name="offline"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/delete/", accounts.delete_account, name="delete_account"),
]
