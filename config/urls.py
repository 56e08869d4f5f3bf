from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("learn/", include("knowledge.urls")),
    path("", include("tracker.urls")),
]

handler400 = "tracker.app.http.bad_request"
