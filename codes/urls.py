from django.urls import path, re_path

from codes import views

app_name = "codes"

urlpatterns = [
    path("", views.index, name="index"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    # "4xx/" is canonical; "4XX/" and "4Xx/" redirect to it.
    re_path(r"^(?P<digit>[1-5])(?P<suffix>[xX]{2})/$", views.class_page, name="class"),
    # "404/" is canonical; "0404/" redirects to it, numbers nobody uses are a 404.
    re_path(r"^(?P<code>[0-9]{1,6})/$", views.detail, name="detail"),
]
