"""The site's URL map, and the one place besides the settings that knows every app."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from codes.api import router as codes_router
from codes.sitemaps import SITEMAPS as CODE_SITEMAPS
from guides.api import router as guides_router
from guides.sitemaps import SITEMAPS as GUIDE_SITEMAPS
from refsite.accounts.views import LoginView
from refsite.core import views
from refsite.core.api import API_PREFIX, api

api.add_router("", codes_router)
api.add_router("", guides_router)
API_PATH = API_PREFIX.lstrip("/")

urlpatterns = [
    # The admin signs in through the site's throttled login view.
    path(f"{settings.ADMIN_URL}login/", LoginView.as_view(), name="admin-login"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("refsite.accounts.urls")),
    path(
        "sitemap.xml", sitemap, {"sitemaps": {**CODE_SITEMAPS, **GUIDE_SITEMAPS}}, name="sitemap"
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path(API_PATH, views.api_docs, name="api-docs"),
    path(API_PATH, api.urls),
    path("guides/", include("guides.urls")),
    path("", include("codes.urls")),
]

handler400 = views.bad_request  # 413 for bodies over the caps in the settings
handler404 = "codes.views.not_found"
handler500 = views.server_error
