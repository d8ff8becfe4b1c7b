"""The site's URL map. Each app owns its namespace."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from refsite import views
from refsite.api import api
from refsite.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/", views.api_docs, name="api-docs"),
    path("api/", api.urls),
    path("guides/", include("guides.urls")),
    path("", include("codes.urls")),
]

handler404 = views.not_found
handler500 = views.server_error
