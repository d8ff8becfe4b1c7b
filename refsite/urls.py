"""The site's URL map. Each app owns its namespace."""

from django.contrib import admin
from django.urls import include, path

from refsite import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("codes.urls")),
]

handler404 = views.not_found
handler500 = views.server_error
