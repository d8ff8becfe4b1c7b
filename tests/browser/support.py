"""What the browser tests share: the pages they visit and the axe-core runner."""

from pathlib import Path

from django.urls import NoReverseMatch, reverse

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


def optional_pages(*names: str) -> dict[str, str]:
    """Pages of features that may not be installed yet (accounts): those whose URL exists."""
    pages = {}
    for name in names:
        try:
            pages[name.replace(":", "-")] = reverse(name)
        except NoReverseMatch:
            continue
    return pages


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
