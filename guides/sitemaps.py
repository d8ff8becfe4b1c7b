"""sitemap.xml sections for guides: every published guide and tag page."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from guides.models import Guide, Tag


class GuideSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Guide.objects.published().order_by("slug")

    def lastmod(self, guide):
        return guide.updated_at


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return list(
            Tag.objects.filter(guides__in=Guide.objects.published())
            .annotate(lastmod=Max("guides__updated_at"))
            .distinct()
            .order_by("slug")
        )

    def lastmod(self, tag):
        return tag.lastmod


SITEMAPS = {"guides": GuideSitemap, "tags": TagSitemap}
