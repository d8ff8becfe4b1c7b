from django.urls import path, re_path

from codes import choose_views, status_endpoint, views

app_name = "codes"

urlpatterns = [
    path("", views.index, name="index"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("choose/", choose_views.choose, name="choose"),
    path("choose/<slug:slug>/", choose_views.choose, name="choose-step"),
    # Old result URLs carried the answer's database id: they answer 301 to the slug URL.
    path("choose/<slug:slug>/<int:answer_id>/", choose_views.choose_result_by_id),
    path("choose/<slug:slug>/<slug:answer>/", choose_views.choose_result, name="choose-result"),
    path("compare/<str:codes>/", choose_views.compare, name="compare"),
    # "4xx/" is canonical; "4XX/" and "4Xx/" redirect to it.
    re_path(r"^(?P<digit>[1-5])(?P<suffix>[xX]{2})/$", views.class_page, name="class"),
    # "404/" is canonical; "0404/" redirects to it, numbers nobody uses are a 404.
    re_path(r"^(?P<code>[0-9]{1,6})/$", views.detail, name="detail"),
    re_path(
        r"^(?P<code>[0-9]{1,6})\.(?P<fmt>json|txt)$", views.detail_format, name="detail-format"
    ),
    re_path(r"^(?P<code>[0-9]{1,6})/card\.png$", views.card, name="card"),
    re_path(r"^s/(?P<code>[0-9]{1,6})/?$", views.short_link, name="short"),
    re_path(r"^status/(?P<spec>[^/]{1,200})/$", status_endpoint.status, name="status"),
]
