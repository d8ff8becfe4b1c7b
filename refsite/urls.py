"""The site's URL map. Each app owns its namespace."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from refsite import views
from refsite.accounts.views import LoginView
from refsite.api import api
from refsite.sitemaps import SITEMAPS

urlpatterns = [
    # The admin signs in through the site's throttled login view.
    path(f"{settings.ADMIN_URL}login/", LoginView.as_view(), name="admin-login"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("refsite.accounts.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("api/", views.api_docs, name="api-docs"),
    path("api/", api.urls),
    path("guides/", include("guides.urls")),
    path("", include("codes.urls")),
]

handler404 = views.not_found
handler500 = views.server_error
