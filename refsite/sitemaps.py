"""sitemap.xml: every published code page, class page, guide and tag page."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from codes.models import CLASS_NAMES, StatusCode
from guides.models import Guide, Tag


class CodeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        # One page per number, however many meanings it has.
        return list(
            StatusCode.objects.published()
            .values("code")
            .annotate(lastmod=Max("updated_at"))
            .order_by("code")
        )

    def location(self, item):
        return reverse("codes:detail", kwargs={"code": item["code"]})

    def lastmod(self, item):
        return item["lastmod"]


class ClassSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return list(CLASS_NAMES)

    def location(self, digit):
        return reverse("codes:class", kwargs={"digit": digit, "suffix": "xx"})

    def lastmod(self, digit):
        return StatusCode.objects.published().in_class(digit).aggregate(m=Max("updated_at"))["m"]


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


SITEMAPS = {
    "codes": CodeSitemap,
    "classes": ClassSitemap,
    "guides": GuideSitemap,
    "tags": TagSitemap,
}
