"""sitemap.xml sections for the catalogue: every published code page and class page."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from codes.models import CLASS_NAMES, StatusCode


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


SITEMAPS = {"codes": CodeSitemap, "classes": ClassSitemap}
