"""The file counts docs/CONTRIBUTING.md states for its recipes are the counts `make recipe-dry-run` walks
(tools/recipe_dry_run.py asserts its own count on a throwaway clone; this keeps the doc and the script saying the same)."""

import importlib.util
import re

from orchestration.settings import PROJECT_ROOT


def _dry_run():
    spec = importlib.util.spec_from_file_location("recipe_dry_run", PROJECT_ROOT / "tools" / "recipe_dry_run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stated_counts(text: str) -> dict[str, int]:
    """Recipe heading -> the first bold number after "Files touched:" in its section."""
    counts = {}
    for heading, body in re.findall(r"^### (Add a [^\n]+)\n(.*?)(?=^### |\Z)", text, re.M | re.S):
        found = re.search(r"Files touched: \*\*(\d+)\*\*", body)
        if found:
            counts[heading] = int(found.group(1))
    return counts


def test_the_doc_states_the_counts_the_dry_run_walks():
    counts = stated_counts((PROJECT_ROOT / "docs" / "CONTRIBUTING.md").read_text())
    dry_run = _dry_run()
    assert counts == {"Add a snapshot source": dry_run.SOURCE_RECIPE_FILES, "Add a mart": dry_run.MART_RECIPE_FILES}


def test_a_count_changed_in_the_doc_alone_is_found():
    doc = "### Add a snapshot source\n\nFiles touched: **5** ...\n\n### Add a mart\n\nFiles touched: **3** required\n"
    assert stated_counts(doc) == {"Add a snapshot source": 5, "Add a mart": 3}
    assert stated_counts(doc) != {"Add a snapshot source": _dry_run().SOURCE_RECIPE_FILES, "Add a mart": 3}
