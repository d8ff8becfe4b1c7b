from django.urls import path

from guides import feeds, views

app_name = "guides"

urlpatterns = [
    path("", views.guide_list, name="list"),
    path("feed/", feeds.GuideFeed(), name="feed"),
    path("tags/<slug:slug>/", views.tag_page, name="tag"),
    path("<slug:slug>/", views.guide_detail, name="detail"),
    path("<slug:slug>/card.png", views.guide_card, name="card"),
]
