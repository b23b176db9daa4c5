"""MkDocs hook: the pages that are built from the repository rather than written for the site.

- ``index.md``: the README (its tour), with its links rewritten to the site's pages;
- ``verdicts.md``: the README's verdict table and, from ``proofs_check/verdicts.py``, which tiers may give each verdict;
- ``schema.md``: the certificate format, one section per JSON Schema of ``proofs_check/recheck/schema/``;
- ``proof.md``: ``symland proof`` on the XOR instance, computed at build time (about 1 s);
- ``notebooks/*.ipynb`` and ``benchmarks/README.md``: the files themselves. The notebooks are committed without
  outputs; the pages show them executed when ``SYMLAND_EXECUTED_NOTEBOOKS`` names a directory of executed copies
  (``pytest tests/test_notebooks.py`` writes them there: CI does, so the docs build executes nothing), or when
  ``SYMLAND_DOCS_EXECUTE=true`` lets mkdocs-jupyter execute them (mkdocs.yml), else as committed (code only).
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import sys
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "proofs_check" / "recheck" / "schema"


class _DoctestAsCode(Preprocessor):
    """A docstring's doctest (``>>>`` and its output, to the next blank line) as a code block, not as prose: a
    line like ``[str(v) for v in H]`` followed by ``['-1']`` would otherwise read as a Markdown reference link."""

    def run(self, lines):
        out, inside = [], False
        for line in lines:
            starts = line.lstrip().startswith(">>>")
            if starts and not inside:
                inside = True
                out.append("")
            elif inside and not line.strip():
                inside = False
            out.append("    " + line if inside else line)
        return out


class _Doctests(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_DoctestAsCode(md), "symland_doctest_as_code", 40)


def on_config(config):
    config["markdown_extensions"].append(_Doctests())  # mkdocstrings renders the docstrings with these too
    return config


def _section(text: str, heading: str) -> str:
    """The README section under ``## heading`` (to the next ``## ``), without the heading line."""
    lines = text.splitlines()
    start = lines.index(f"## {heading}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[start:end]).strip() + "\n"


def _index(readme: str) -> str:
    return readme.replace("](docs/figures/", "](figures/")


def _verdicts(readme: str) -> str:
    v = runpy.run_path(str(ROOT / "proofs_check" / "verdicts.py"))  # plain constants, no package import
    rows = []
    for verdict in v["VERDICTS"]:
        if verdict == "proved":
            tiers = v["EXACT_TIERS"]
        elif verdict == "certified":
            tiers = v["EXACT_TIERS"] + v["RIGOROUS_TIERS"]
        elif verdict == "refuted":
            tiers = v["EXACT_TIERS"] + v["RIGOROUS_TIERS"]
        elif verdict == "numerical":
            tiers = tuple(t for t in v["TIERS"] if t != "none")
        else:
            tiers = v["TIERS"]
        rows.append(f"| `{verdict}` | {', '.join(f'`{t}`' for t in tiers)} |")
    return ("# Verdicts\n\n" + _section(readme, "Verdicts") + "\n## Which tier may give which verdict\n\n"
            "From `proofs_check/verdicts.py` (the `Certificate` constructor refuses any other pair):\n\n"
            "| verdict | tiers |\n| --- | --- |\n" + "\n".join(rows) + "\n")


def _schema() -> str:
    out = ["# The certificate format (version 1)\n",
           "Every certificate is JSON, validated by the re-checker against these JSON Schemas (draft 2020-12) "
           "before anything else: `certificate.v1.json` is the envelope, the others the witness of each claim "
           "kind. The files live in `proofs_check/recheck/schema/`.\n"]
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        obj = json.loads(path.read_text(encoding="utf-8"))
        out.append(f"## `{path.name}`\n\n{obj.get('title', '')}\n")
        if obj.get("description"):
            out.append(obj["description"] + "\n")
        defs = obj.get("$defs", {})
        if defs:
            out.append("Definitions: " + ", ".join(f"`{k}`" for k in defs) + ".\n")
        out.append("```json\n" + json.dumps(obj, indent=1, ensure_ascii=False) + "\n```\n")
    return "\n".join(out)


def _proof() -> str:
    sys.path.insert(0, str(ROOT))  # the repository's packages (mkdocs runs the hook from anywhere)
    from proofs_check.claims import run
    from proofs_check.instances import default_instances
    from proofs_check.proof import prove

    (xor,) = [inst for inst in default_instances() if inst.name == "smoolu-p2-d4-xor"]
    certs = run([xor], ["lem-3.3", "thm-2.1", "prop-2.3"])
    intro = ("# Proofs in words\n\n`symland proof CERT.json` (or `Certificate.proof()` in Jupyter) writes the proof of "
             "a certificate's claim at its instance, read from its witness. Below: the built-in XOR instance "
             "(smooLU, widths 2, 4, 1), computed when this site was built:\n\n```\nsymland verify --json > "
             "certs.json\nsymland proof certs.json --instance smoolu-p2-d4-xor\n```\n\n")
    return intro + "\n\n---\n\n".join(prove(c).markdown for c in certs)


@event_priority(100)  # before mkdocs-jupyter's on_files, which converts the notebooks added here
def on_files(files, config):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for uri, content in (("index.md", _index(readme)), ("verdicts.md", _verdicts(readme)),
                         ("schema.md", _schema()), ("proof.md", _proof())):
        files.append(File.generated(config, uri, content=content))
    urls = config["use_directory_urls"]
    executed = Path(os.environ.get("SYMLAND_EXECUTED_NOTEBOOKS", "/nonexistent"))
    staged = ROOT / ".cache" / "symland-docs"  # <staged>/notebooks/NAME: a File's path is src_dir/src_uri
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):  # files of the repository, outside docs_dir
        src = ROOT
        if (executed / nb.name).is_file():  # the copy tests/test_notebooks.py executed and kept (CI)
            (staged / "notebooks").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(executed / nb.name, staged / "notebooks" / nb.name)
            src = staged
        files.append(File(f"notebooks/{nb.name}", str(src), config["site_dir"], urls))
    files.append(File("benchmarks/README.md", str(ROOT), config["site_dir"], urls))
    return files
