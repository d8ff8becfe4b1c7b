"""schema.org JSON-LD for search engines: FAQPage on code and guide pages, Article on guides."""

from refsite.core.markdown import render_markdown


def faq_page(faqs) -> dict | None:
    """FAQPage for questions the caller has already chosen as published."""
    if not faqs:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": faq.question,
                "acceptedAnswer": {"@type": "Answer", "text": str(render_markdown(faq.answer))},
            }
            for faq in faqs
        ],
    }


def article(guide, url: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": guide.title,
        "description": guide.summary,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": guide.published_at.isoformat(),
        "dateModified": guide.updated_at.isoformat(),
        "author": {
            "@type": "Person" if guide.author_id else "Organization",
            "name": guide.author_name,
        },
        "keywords": [tag.name for tag in guide.tags.all()],
        "wordCount": guide.word_count,
        "timeRequired": f"PT{guide.reading_minutes}M",
    }
