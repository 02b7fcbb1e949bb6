"""The Danish and Swedish catalogues: complete, faithful to their placeholders, compiled, and in
step with the source. Danish is the default language, so an English string left untranslated
shows up in the middle of a Danish page."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from sporskifte import settings as project_settings

LANGUAGES = ("da", "sv")
SHIPPED_LANGUAGE_CODE = project_settings.LANGUAGE_CODE
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SRC_DIR = Path(__file__).resolve().parents[2]  # src/sporskifte
# The same flags the project's makemessages command line uses (README, ./dev).
IGNORE = [".venv", "node_modules", "var", "staticfiles", "benchmarks", "tests"]

# Words that are spelt the same in English and the target language. Anything else equal to its
# English msgid is an English string nobody translated.
SAME_IN = {
    "da": {
        "Organisation", "organisation", "Person", "person", "Status", "status", "Relation",
        "relation", "Institution", "institution", "Forum", "forum", "fora", "E-mail", "e-mail",
        "Pseudonym", "Format", "Menu", "Visitation", "Mentor", "Links", "links", "Median",
    },
    "sv": {
        "Organisation", "organisation", "Person", "person", "Status", "status", "Relation",
        "relation", "Forum", "forum", "Pseudonym", "Format", "Period", "Text", "text",
        "Visitation", "Mentor", "Median",
    },
}  # fmt: skip


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a .po string is a valid Python string literal


def parse_po(path: Path) -> list[Entry]:
    """Active entries of a .po file (obsolete ``#~`` entries are skipped)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate([*lines, ""], start=1):
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif m := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line):
            keyword, index, text = m.group(1), m.group(2), _unquote(m.group(3))
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = text
            else:
                target = (keyword, None)
                setattr(entry, keyword, text)
                entry.line = entry.line or number
        elif line.startswith('"') and target is not None:
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += _unquote(line)
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + _unquote(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def messages(language: str) -> list[Entry]:
    return [e for e in parse_po(_po(language)) if e.msgid]


def _po(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def _where(entry: Entry, language: str) -> str:
    return f"{language}/django.po:{entry.line}: {entry.msgid[:70]!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_declares_language_and_plural_forms(language):
    header = next(e for e in parse_po(_po(language)) if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert f"Language: {language}\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = messages(language)
    assert len(entries) > 500  # the catalogue was really read
    problems = [_where(e, language) for e in entries if "fuzzy" in e.flags]
    for e in entries:
        wanted = 2 if e.msgid_plural else 1
        if len(e.msgstr) != wanted or not all(s.strip() for s in e.msgstr.values()):
            problems.append(_where(e, language))
    assert not problems, "untranslated or fuzzy:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_msgid_is_copied_as_its_translation(language):
    copied = [
        _where(e, language)
        for e in messages(language)
        if e.msgstr.get(0) == e.msgid and e.msgid not in SAME_IN[language]
    ]
    assert not copied, "English left as the translation:\n" + "\n".join(copied)


NAMED = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_and_markup_are_kept(language):
    problems = []
    for e in messages(language):
        for pattern in (NAMED, TAG):
            sources = [e.msgid] + ([e.msgid_plural] if e.msgid_plural else [])
            allowed = [sorted(pattern.findall(s)) for s in sources]
            for text in e.msgstr.values():
                found = sorted(pattern.findall(text))
                # A singular may leave out the count, as English "one day" would.
                if found != allowed[-1] and found not in allowed:
                    problems.append(f"{_where(e, language)} -> {text[:70]!r}")
        if e.msgid.endswith("\n") and not all(t.endswith("\n") for t in e.msgstr.values()):
            problems.append(f"{_where(e, language)}: lost its final line break")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    mo = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"run: manage.py compilemessages ({mo.name} is missing)"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in messages(language):
        if "fuzzy" in e.flags or not all(e.msgstr.values()):
            continue  # not compiled on purpose; the test above reports it
        msgid = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        if e.msgid_plural:
            got = [compiled.ngettext(msgid, e.msgid_plural, n) for n in (1, 2)]
            want = [e.msgstr[0], e.msgstr[1]]
        else:
            got, want = [compiled.gettext(msgid)], [e.msgstr[0]]
        if got != want:
            stale.append(_where(e, language))
    assert not stale, "the .mo is older than the .po; run compilemessages:\n" + "\n".join(stale)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogues_hold_exactly_the_messages_of_the_source(tmp_path, monkeypatch, settings):
    """makemessages into a scratch copy: a string added, changed or removed in the source and
    not yet in (or still in) the committed catalogues fails here."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "sporskifte").symlink_to(SRC_DIR, target_is_directory=True)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    monkeypatch.chdir(tmp_path)
    call_command(
        "makemessages",
        locale=list(LANGUAGES),
        symlinks=True,
        ignore_patterns=IGNORE,
        no_obsolete=True,
        verbosity=0,
    )
    for language in LANGUAGES:
        fresh = {
            e.key
            for e in parse_po(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
            if e.msgid
        }
        committed = {e.key for e in messages(language)}
        assert not fresh - committed, (
            f"{language}: new in the source, run makemessages and translate: "
            f"{sorted(k[1][:60] for k in fresh - committed)}"
        )
        assert not committed - fresh, (
            f"{language}: gone from the source, run makemessages --no-obsolete: "
            f"{sorted(k[1][:60] for k in committed - fresh)}"
        )


# The names xgettext extracts from Python (its defaults plus the ones Django's makemessages adds).
EXTRACTED_NAMES = {
    "_", "gettext", "ngettext", "gettext_lazy", "ngettext_lazy", "gettext_noop",
    "pgettext", "npgettext", "pgettext_lazy", "npgettext_lazy",
}  # fmt: skip
TRANSLATION_FUNCTIONS = EXTRACTED_NAMES - {"_"}


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    """``from django.utils.translation import gettext as _g`` works at run time, but makemessages
    never sees the strings, so they stay English on every Danish page."""
    hidden = []
    for path in SRC_DIR.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if len(path.suffixes) > 1:
            # makemessages' scratch copies of templates (``x.html.py``), which the test above
            # writes beside the templates while this one may be running on another worker.
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    local = alias.asname or alias.name
                    if alias.name in TRANSLATION_FUNCTIONS and local not in EXTRACTED_NAMES:
                        hidden.append(f"{path.relative_to(SRC_DIR.parent)}:{node.lineno} {local}")
    assert not hidden, "strings behind these names are never extracted:\n" + "\n".join(hidden)


@pytest.mark.parametrize(
    ("english", "danish", "swedish"),
    [
        ("Referrals", "Henvisninger", "Hänvisningar"),
        ("Consent withdrawn", "Samtykke trukket tilbage", "Samtycke återkallat"),
        ("The file is empty.", "Filen er tom.", "Filen är tom."),
    ],
)
def test_domain_terms_are_translated(english, danish, swedish):
    for language, expected in (("da", danish), ("sv", swedish), ("en", english)):
        with translation.override(language):
            assert translation.gettext(english) == expected


@pytest.mark.parametrize(
    ("accept_language", "lang", "heading", "button"),
    [
        ("sv", "sv", "Logga in", "Fortsätt"),
        ("sv-SE,sv;q=0.9,en;q=0.5", "sv", "Logga in", "Fortsätt"),
        ("da", "da", "Log ind", "Fortsæt"),
        ("en", "en", "Log in", "Continue"),
        ("", "da", "Log ind", "Fortsæt"),  # no preference: the site's default
        ("de", "da", "Log ind", "Fortsæt"),  # a language the site lacks: the default
    ],
)
def test_login_page_speaks_the_browsers_language(
    client, db, settings, accept_language, lang, heading, button
):
    # The shared conftest makes English the default for tests; here the shipped default counts.
    settings.LANGUAGE_CODE = SHIPPED_LANGUAGE_CODE
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert f">{button}</button>" in html


def test_danish_is_the_shipped_default_language():
    assert SHIPPED_LANGUAGE_CODE == "da"
