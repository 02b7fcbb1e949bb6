"""The repository stands alone: nothing in it cites a file outside it (a sibling folder of
briefs, a machine path). Comments cite the law or the project's own docs instead."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
LOOKED_AT = ("src", "tests", "benchmarks", "docs", ".ci")
SUFFIXES = {".py", ".html", ".md", ".sh", ".json", ".txt", ".toml", ".js", ".css", ""}
OUTSIDE = ("../shared/", "/work/")


def test_no_file_cites_a_path_outside_the_repository():
    found = []
    for folder in LOOKED_AT:
        for path in (ROOT / folder).rglob("*"):
            if (
                not path.is_file()
                or path.suffix not in SUFFIXES
                or "__pycache__" in path.parts
                or path == Path(__file__).resolve()
            ):
                continue
            text = path.read_text(errors="ignore")
            found += [f"{path.relative_to(ROOT)}: {m}" for m in OUTSIDE if m in text]
    found += [
        f"{name}: {m}"
        for name in ("README.md", "dev")
        for m in OUTSIDE
        if m in (ROOT / name).read_text()
    ]
    assert found == []
