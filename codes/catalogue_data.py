"""Read the shipped CSV files in ``codes/data/`` into plain records.

The CSVs are the project's facts (IANA registry, unofficial codes, spec
sections, language constants; provenance in ``codes/data/SOURCES.md``). Both the
fixture builder and the registry importer read them through this module, and
the tests compare the database against them.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# "Upload Resumption Supported (TEMPORARY - registered ...)", "Not Extended (OBSOLETED)"
_TEMPORARY = re.compile(r"\s*\(TEMPORARY\b[^)]*\)\s*$")
_OBSOLETED = re.compile(r"\s*\(OBSOLETED\)\s*$")
_RANGE = re.compile(r"^\d{3}-\d{3}$")


@dataclass(frozen=True)
class RegistryEntry:
    code: int
    description: str
    reference: str

    @property
    def status(self) -> str:
        if _TEMPORARY.search(self.description):
            return "temporary"
        if _OBSOLETED.search(self.description):
            return "obsolete"
        if self.description == "(Unused)":
            return "unused"
        return "registered"

    @property
    def phrase(self) -> str:
        """The reason phrase without the registry's status annotations."""
        return _OBSOLETED.sub("", _TEMPORARY.sub("", self.description)).strip()


def read_csv(name: str, data_dir: Path = DATA_DIR) -> list[dict]:
    with open(data_dir / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def parse_registry(path: Path) -> list[RegistryEntry]:
    """Assigned values from an IANA registry CSV; "Unassigned" ranges are skipped."""
    entries = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"Value", "Description", "Reference"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"not an IANA status code CSV: missing columns {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            value = (row["Value"] or "").strip()
            description = (row["Description"] or "").strip()
            if _RANGE.match(value) or description == "Unassigned":
                continue
            if not value.isdigit() or not 100 <= int(value) <= 999:
                raise ValueError(f"line {line}: {value!r} is not a status code")
            entries.append(RegistryEntry(int(value), description, (row["Reference"] or "").strip()))
    return entries


def registry() -> list[RegistryEntry]:
    return parse_registry(DATA_DIR / "iana-http-status-codes.csv")


def unofficial() -> list[dict]:
    """Unofficial rows joined with their fixed slugs (``codes/data/unofficial-slugs.csv``)."""
    slugs = {
        (row["value"], row["vendor"], row["phrase"]): row["slug"]
        for row in read_csv("unofficial-slugs.csv")
    }
    rows = read_csv("unofficial-http-status-codes.csv")
    for row in rows:
        row["slug"] = slugs[(row["value"], row["vendor"], row["phrase"])]
    return rows


def spec_sections() -> dict[int, dict]:
    return {int(row["value"]): row for row in read_csv("spec-sections.csv")}


def spec_url(document: str, section: str) -> str:
    """A link to the defining section: rfc-editor.org for RFCs, datatracker for drafts.

    Both sites give every section a ``#section-N`` anchor.
    """
    fragment = f"#section-{section}" if section else ""
    if document.upper().startswith("RFC"):
        return f"https://www.rfc-editor.org/rfc/rfc{document[3:]}.html{fragment}"
    if document.startswith("draft-"):
        return f"https://datatracker.ietf.org/doc/html/{document}{fragment}"
    return ""


def constants() -> list[dict]:
    return read_csv("language-constants-detail.csv")
