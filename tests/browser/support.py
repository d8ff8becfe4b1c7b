"""What the browser tests share: the pages they visit and the axe-core runner."""

from pathlib import Path

from django.urls import reverse

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

# The pages people land on, by what they are.
MAIN_PAGES = {
    "index": "/",
    "index-filtered": "/?q=rate+limit",
    "code-404": "/404/",
    "code-499": "/499/",
    "class-4xx": "/4xx/",
    "not-found": "/299/",
    "guide": "/guides/401-vs-403/",
    "guides": "/guides/",
    "choose": "/choose/",
    "compare": "/compare/401-vs-403/",
}


def named_pages(*names: str) -> dict[str, str]:
    """Pages by URL name; a renamed or removed URL fails at import, loudly."""
    return {name.replace(":", "-"): reverse(name) for name in names}


# The one page in MAIN_PAGES that is meant to answer 404.
NOT_FOUND_PAGES = {MAIN_PAGES["not-found"]}


def visit(page, path: str):
    """Go to ``path`` and insist on its status, so that a page that moved fails the test
    instead of passing it on the 404 page (304: the browser's copy of a 200 still holds)."""
    response = page.goto(path)
    expected = {404} if path in NOT_FOUND_PAGES else {200, 304}
    status = response.status if response else None
    assert status in expected, f"{path} answered {status}"
    return response


BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; every violation, with up to five nodes each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            }));
        }"""
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        lines.extend(f"    {n['target']}\n      {n['summary']}" for n in v["nodes"])
    return "\n".join(lines)
