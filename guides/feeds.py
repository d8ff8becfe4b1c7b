"""The Atom feed of published guides."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from guides.models import Guide


class GuideFeed(Feed):
    feed_type = Atom1Feed
    title = "HTTP Status Reference: guides"
    subtitle = "New and updated guides on choosing and handling HTTP status codes."

    def link(self):
        return reverse("guides:list")

    def items(self):
        return Guide.objects.published().select_related("author").order_by("-published_at")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]
