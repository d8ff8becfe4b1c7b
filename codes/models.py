"""The catalogue: one row per meaning of a status code.

A number usually has one meaning, the one IANA registered. Some numbers also
carry vendor meanings (499 is "Client Closed Request" to nginx and "Token
Required" to ArcGIS), so a row is a *meaning*: the registered one has an empty
``slug`` and no vendor, each unofficial one has a vendor and a slug that tells it
apart on the shared page (``/499/#nginx``). The class (1xx..5xx) is derived from
the number and never stored.
"""

import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from refsite.core.constraints import exactly_one_of
from refsite.core.content_version import ContentQuerySet
from refsite.core.natural_keys import NaturalKeyModel, derive_slug
from refsite.core.questions import Question
from refsite.core.revisions import Revisioned

CLASS_NAMES = {
    1: "Informational",
    2: "Success",
    3: "Redirection",
    4: "Client error",
    5: "Server error",
}


def class_of(code: int) -> int | None:
    """The class digit (1..5) of a code, or None outside the standard range."""
    digit = code // 100
    return digit if digit in CLASS_NAMES else None


class Badge(NamedTuple):
    """A meaning's status badge in listings and on its page (``StatusCode.badge``)."""

    css_class: str
    label: str


class Status(models.TextChoices):
    REGISTERED = "registered", "Registered"
    TEMPORARY = "temporary", "Temporary registration"
    UNUSED = "unused", "Unused (reserved)"
    OBSOLETE = "obsolete", "Obsolete"
    UNOFFICIAL = "unofficial", "Unofficial"


# Statuses that come from the IANA registry; everything else is vendor-specific.
REGISTRY_STATUSES = (Status.REGISTERED, Status.TEMPORARY, Status.UNUSED, Status.OBSOLETE)

# Shown wherever a meaning has no summary yet (a code importregistry just added).
NOT_EXPLAINED = "Not yet explained: our editors have not written about this code yet."

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ALIAS_KEYS = {"phrase", "until", "reference"}


class Alias(NamedTuple):
    """One "also known as" name: a nickname, or a former phrase with when and why it went."""

    phrase: str
    until: str = ""  # "2022", "2022-06" or "2022-06-08": when the name stopped being used
    reference: str = ""  # the document that dropped it, e.g. "RFC 9110"

    @property
    def year(self) -> str:
        return self.until[:4]

    @property
    def is_former(self) -> bool:
        return bool(self.until or self.reference)


def validate_aliases(value) -> None:
    """also_known_as is a list of {"phrase", "until"?, "reference"?} objects."""
    if not isinstance(value, list):
        raise ValidationError('A list of names: [{"phrase": "..."}, ...].', code="aliases")
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("phrase"), str):
            raise ValidationError('Each name needs a "phrase".', code="aliases")
        if set(entry) - _ALIAS_KEYS or not entry["phrase"].strip():
            raise ValidationError(
                'Each name has a non-empty "phrase" and optionally "until" and '
                '"reference", nothing else.',
                code="aliases",
            )
        if not all(isinstance(entry.get(key, ""), str) for key in _ALIAS_KEYS):
            raise ValidationError("Names, dates and references are text.", code="aliases")
        if entry.get("until") and not _PARTIAL_DATE.match(entry["until"]):
            raise ValidationError(
                f'{entry["until"]!r}: "until" is a year or date, e.g. 2022 or 2022-06-08.',
                code="aliases",
            )


class StatusCodeQuerySet(ContentQuerySet):
    def published(self):
        """What the public may see: the one place that decides it."""
        return self.filter(published=True)

    def registered(self):
        """Every meaning IANA lists, including temporary, unused and obsolete ones."""
        return self.filter(status__in=REGISTRY_STATUSES)

    def unofficial(self):
        return self.filter(status=Status.UNOFFICIAL)

    def in_class(self, digit: int):
        return self.filter(code__gte=digit * 100, code__lt=(digit + 1) * 100)

    def outside_classes(self):
        """Vendor codes such as 783 or 999 that fall outside 1xx..5xx."""
        return self.filter(Q(code__lt=100) | Q(code__gte=600))

    def for_number(self, code: int):
        """All meanings of one number, the registered one first."""
        return self.filter(code=code).order_by("code", "position", "slug")

    def for_listing(self):
        """Just the columns the index and class pages show."""
        return self.only("code", "slug", "phrase", "summary", "status", "vendor")


class StatusCode(NaturalKeyModel, Revisioned):
    natural_key_fields = ("code", "slug")

    code = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(100), MaxValueValidator(999)],
        help_text="The three-digit number, 100 to 999.",
    )
    slug = models.SlugField(
        max_length=40,
        blank=True,
        help_text=(
            "Empty for the IANA-registered meaning. For an unofficial meaning, a short "
            "name such as 'nginx' that tells it apart from other meanings of the number."
        ),
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text=(
            "Order among the meanings of one number: 0 for the registered meaning, "
            "then the vendor meanings people meet most."
        ),
    )
    phrase = models.CharField(
        max_length=120,
        blank=True,
        help_text="The reason phrase shown in headings, e.g. 'Not Found'.",
    )
    registry_description = models.CharField(
        max_length=200,
        blank=True,
        help_text="The Description cell of the IANA registry, verbatim. Set by importregistry.",
    )
    registry_reference = models.CharField(
        max_length=200,
        blank=True,
        help_text="The Reference cell of the IANA registry, verbatim. Set by importregistry.",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.REGISTERED)
    vendor = models.CharField(
        max_length=80,
        blank=True,
        help_text="Who uses this meaning, for unofficial codes (e.g. 'nginx', 'Cloudflare').",
    )
    vendor_note = models.CharField(max_length=300, blank=True)
    also_known_as = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_aliases],
        help_text=(
            'Other names, a JSON list. A nickname: {"phrase": "I\'m a teapot"}. A former '
            'registry phrase says until when and which document dropped it: {"phrase": '
            '"Payload Too Large", "until": "2022", "reference": "RFC 9110"}.'
        ),
    )

    summary = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "One plain sentence. Also the page's meta description. Empty only for a code "
            "nobody has explained yet: pages then say so."
        ),
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    when_to_use = models.TextField(blank=True, help_text="Markdown.")
    when_not_to_use = models.TextField(blank=True, help_text="Markdown.")
    causes = models.TextField("common causes", blank=True, help_text="Markdown.")
    fixes = models.TextField("how to fix it", blank=True, help_text="Markdown.")

    spec_document = models.CharField(max_length=80, blank=True, help_text="e.g. RFC9110")
    spec_section = models.CharField(max_length=20, blank=True, help_text="e.g. 15.5.5")
    spec_title = models.CharField(max_length=120, blank=True)
    spec_url = models.URLField(blank=True, help_text="A link to the defining section.")
    heuristically_cacheable = models.BooleanField(
        default=False,
        help_text="Caches may store this response without explicit freshness information.",
    )

    keywords = models.TextField(
        blank=True,
        help_text=(
            "Words people type when they meet this code, comma-separated: symptoms, log "
            "lines, synonyms. Search uses them; tune results here."
        ),
    )
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="related_from"
    )
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatusCodeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "revision"])

    NOT_EXPLAINED = NOT_EXPLAINED  # for templates: {{ row.NOT_EXPLAINED }}

    class Meta:
        ordering = ["code", "position", "slug"]
        verbose_name = "status code"
        constraints = [
            models.UniqueConstraint(fields=["code", "slug"], name="unique_meaning_per_code"),
            models.CheckConstraint(
                condition=Q(code__gte=100, code__lte=999), name="code_between_100_and_999"
            ),
            models.CheckConstraint(
                condition=Q(status="unofficial", slug__gt="", vendor__gt="")
                | (~Q(status="unofficial") & Q(slug="")),
                name="unofficial_needs_vendor_and_slug",
            ),
        ]
        indexes = [
            # The index and class pages list published rows in code order.
            models.Index(fields=["published", "code"], name="code_published_idx"),
        ]

    def __str__(self):
        label = f"{self.code} {self.phrase}".strip()
        return f"{label} ({self.vendor})" if self.vendor else label

    def get_absolute_url(self):
        url = reverse("codes:detail", kwargs={"code": self.code})
        return f"{url}#{self.slug}" if self.slug else url

    @cached_property
    def url(self) -> str:
        """get_absolute_url, worked out once per instance (list pages show a hundred)."""
        return self.get_absolute_url()

    @cached_property
    def number_url(self) -> str:
        """The page of the number, without this meaning's #fragment."""
        return self.url.split("#")[0]

    @cached_property
    def page_urls(self) -> dict[str, str]:
        """The other URLs a code page links to, reversed once per instance."""
        code = self.code
        return {
            "card": reverse("codes:card", kwargs={"code": code}),
            "json": reverse("codes:detail-format", kwargs={"code": code, "fmt": "json"}),
            "text": reverse("codes:detail-format", kwargs={"code": code, "fmt": "txt"}),
            "status": reverse("codes:status", kwargs={"spec": code}),
            "suggest": reverse("accounts:suggest", kwargs={"kind": "code", "key": code}),
        }

    @property
    def badge(self) -> Badge | None:
        """The list badge for this meaning: (css class, label), or None."""
        if self.status == Status.UNOFFICIAL:
            return Badge("badge-unofficial", f"Unofficial · {self.vendor}")
        labels = {
            Status.TEMPORARY: "Temporary",
            Status.UNUSED: "Unused",
            Status.OBSOLETE: "Obsolete",
        }
        if self.status in labels:
            return Badge(f"badge-{self.status}", labels[self.status])
        return None

    @property
    def class_digit(self) -> int | None:
        return class_of(self.code)

    @property
    def class_label(self) -> str:
        digit = self.class_digit
        return f"{digit}xx" if digit else "nonstandard"

    @property
    def class_name(self) -> str:
        return CLASS_NAMES.get(self.class_digit, "Outside the standard range")

    @property
    def is_unofficial(self) -> bool:
        return self.status == Status.UNOFFICIAL

    @property
    def heading(self) -> str:
        return f"{self.code} {self.phrase}" if self.phrase else str(self.code)

    @property
    def anchor(self) -> str:
        return self.slug or "registered"

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def explained(self) -> bool:
        """False for a code with registry facts only, e.g. one importregistry just added."""
        return bool(self.summary.strip())

    @property
    def summary_or_note(self) -> str:
        """The summary, or the plain note that there is none yet: never invented prose."""
        return self.summary if self.explained else NOT_EXPLAINED

    @property
    def aliases(self) -> list[Alias]:
        return [
            Alias(e["phrase"].strip(), e.get("until", ""), e.get("reference", ""))
            for e in self.also_known_as or []
        ]

    @property
    def former_phrases(self) -> list[Alias]:
        """Names the registry or a spec used before, newest first."""
        return sorted((a for a in self.aliases if a.is_former), key=lambda a: a.until, reverse=True)

    @property
    def nicknames(self) -> list[str]:
        return [a.phrase for a in self.aliases if not a.is_former]

    def also_known_as_list(self) -> list[str]:
        return [a.phrase for a in self.aliases]


class Requirement(models.TextChoices):
    REQUIRED = "required", "Required"
    RECOMMENDED = "recommended", "Recommended"
    OPTIONAL = "optional", "Optional"


REQUIREMENT_LABELS = dict(Requirement.choices)


class ResponseHeader(NaturalKeyModel):
    """A header that belongs with a code (Location on 201, Allow on 405, ...)."""

    natural_key_fields = ("status_code", "name")

    status_code = models.ForeignKey(StatusCode, on_delete=models.CASCADE, related_name="headers")
    name = models.CharField(
        max_length=60,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", "A header name: letters, digits, '-'.")],
    )
    requirement = models.CharField(max_length=12, choices=Requirement, default=Requirement.OPTIONAL)
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["status_code", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["status_code", "name"], name="unique_header_per_code")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_requirement_display().lower()})"

    @property
    def requirement_label(self) -> str:
        """get_requirement_display() without its per-call work; code pages list many."""
        return REQUIREMENT_LABELS.get(self.requirement, self.requirement)


class Ecosystem(models.TextChoices):
    PYTHON = "python", "Python http.HTTPStatus"
    GO = "go", "Go net/http"
    NODE = "node", "Node.js http.STATUS_CODES"
    JAVA = "java", "Java HttpURLConnection"
    DOTNET = "dotnet", ".NET HttpStatusCode"
    RUST = "rust", "Rust http::StatusCode"
    RAILS = "rails", "Rails / Rack symbol"
    SPRING = "spring", "Spring HttpStatus"
    PHP_SYMFONY = "php_symfony", "PHP Symfony Response"


ECOSYSTEM_LABELS = dict(Ecosystem.choices)


class Constant(NaturalKeyModel):
    """The name a language or framework gives a code, e.g. Go's StatusNotFound."""

    natural_key_fields = ("status_code", "ecosystem", "name")

    status_code = models.ForeignKey(StatusCode, on_delete=models.CASCADE, related_name="constants")
    ecosystem = models.CharField(max_length=12, choices=Ecosystem)
    name = models.CharField(max_length=80)
    primary = models.BooleanField(
        default=True, help_text="The name the library itself treats as canonical."
    )
    deprecated = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    objects = ContentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["status_code", "ecosystem", "-primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_code", "ecosystem", "name"], name="unique_constant_name"
            )
        ]

    def __str__(self):
        return f"{self.get_ecosystem_display()}: {self.name}"

    @property
    def ecosystem_label(self) -> str:
        """get_ecosystem_display() without its per-call work; code pages list ten."""
        return ECOSYSTEM_LABELS.get(self.ecosystem, self.ecosystem)


class FAQ(Question):
    """A question and answer shown on a code page (guides have their own, GuideFAQ)."""

    status_code = models.ForeignKey(StatusCode, on_delete=models.CASCADE, related_name="faqs")

    natural_key_fields = ("status_code", "slug")
    history = HistoricalRecords(excluded_fields=["updated_at", "revision"])

    class Meta(Question.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        constraints = [
            models.UniqueConstraint(fields=["status_code", "slug"], name="unique_faq_slug_per_code")
        ]

    def get_absolute_url(self):
        return f"{self.status_code.number_url}#faq-{self.slug}"


class DecisionQuestion(NaturalKeyModel, Revisioned):
    """One step of the "which status code should I return?" guide at /choose/."""

    natural_key_fields = ("slug",)

    slug = models.SlugField(max_length=60, unique=True, help_text="'start' is the first step.")
    question = models.CharField(max_length=200)
    help = models.TextField(blank=True, help_text="Optional guidance shown under the question.")

    START = "start"

    objects = ContentQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        if self.slug == self.START:
            return reverse("codes:choose")
        return reverse("codes:choose-step", kwargs={"slug": self.slug})


class DecisionAnswerQuerySet(ContentQuerySet):
    def leaves(self):
        return self.filter(result__isnull=False)


class DecisionAnswer(NaturalKeyModel, Revisioned):
    """An answer: it leads either to another question or to a recommended code."""

    natural_key_fields = ("question", "slug")

    question = models.ForeignKey(DecisionQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60,
        blank=True,
        help_text=(
            "The answer's part of its result URL (/choose/<question>/<slug>/), unique "
            "within the question. Left empty, it is made from the text; then keep it."
        ),
    )
    order = models.PositiveSmallIntegerField(default=0)
    next_question = models.ForeignKey(
        DecisionQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reached_from",
        help_text="The question this answer leads to; leave empty when it ends at a code.",
    )
    result = models.ForeignKey(
        StatusCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_answers",
        help_text="The recommended code; leave empty when the answer leads to a question.",
    )
    explanation = models.TextField(blank=True, help_text="Markdown: why this code fits.")

    objects = DecisionAnswerQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            exactly_one_of("next_question", "result", name="answer_leads_to_a_question_or_a_code"),
            models.UniqueConstraint(fields=["question", "slug"], name="unique_answer_slug"),
        ]

    def __str__(self):
        return f"{self.question.slug}: {self.text}"

    def save(self, *args, **kwargs):
        if not self.slug:
            siblings = DecisionAnswer.objects.filter(question_id=self.question_id)
            taken = set(siblings.exclude(pk=self.pk).values_list("slug", flat=True))
            self.slug = derive_slug(self.text, taken, length=40)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.next_question_id:
            return self.next_question.get_absolute_url()
        return reverse(
            "codes:choose-result", kwargs={"slug": self.question.slug, "answer": self.slug}
        )


class DecisionAlternative(NaturalKeyModel):
    """A close alternative to a recommended code, and why not here."""

    natural_key_fields = ("answer", "code")

    answer = models.ForeignKey(
        DecisionAnswer, on_delete=models.CASCADE, related_name="alternatives"
    )
    code = models.ForeignKey(StatusCode, on_delete=models.PROTECT, related_name="+")
    why_not = models.TextField(help_text="Markdown.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["answer", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "code"], name="unique_alternative_per_answer")
        ]

    def __str__(self):
        return f"not {self.code.code}"


class Comparison(NaturalKeyModel, Revisioned):
    """An editor's "key difference" text for a pair of codes people confuse."""

    natural_key_fields = ("first", "second")

    first = models.ForeignKey(StatusCode, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(StatusCode, on_delete=models.CASCADE, related_name="+")
    key_difference = models.TextField(help_text="Markdown: the key difference first.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["updated_at", "revision"])

    class Meta:
        ordering = ["first__code", "second__code"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_comparison_pair")
        ]

    def __str__(self):
        return f"{self.first.code} vs {self.second.code}"

    def get_absolute_url(self):
        return reverse(
            "codes:compare", kwargs={"codes": f"{self.first.code}-vs-{self.second.code}"}
        )

    @cached_property
    def url(self) -> str:
        """get_absolute_url, worked out once per instance."""
        return self.get_absolute_url()
