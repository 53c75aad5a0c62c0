"""PDF rendering with Typst (docs/adr/0041-typst-pdf-and-fonts.md).

Each document is a Typst template under ``documents/typst/``; the data comes in as one JSON
string in ``sys.inputs.data``, so user text is never Typst markup and cannot inject any.

Fonts: system fonts are ignored so that a document looks the same on every machine. The body
font is DejaVu Sans, read from the TTF files that matplotlib (a dependency of Veiviser) ships;
Typst's own embedded fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono) are the
fallback. A ``fonts/`` folder next to the templates, if present, is searched first.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import typst

TYPST_DIR = Path(__file__).resolve().with_name("typst")
BODY_FONT = "DejaVu Sans"
PDF_STANDARD = "a-2b"  # PDF/A-2b: archivable, as documents filed with Helsedirektoratet


class DocumentError(RuntimeError):
    """The Typst compiler refused a document (a bug in a template, never user input)."""


@lru_cache(maxsize=1)
def font_paths() -> tuple[str, ...]:
    paths: list[str] = []
    own = TYPST_DIR / "fonts"
    if own.is_dir():
        paths.append(str(own))
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        ttf = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
        if ttf.is_dir():
            paths.append(str(ttf))
    return tuple(paths)


def render_pdf(template: str, data: dict[str, Any], *, at: dt.datetime | None = None) -> bytes:
    """Compile ``documents/typst/<template>`` with ``data`` to PDF bytes."""
    path = TYPST_DIR / template
    if path.parent != TYPST_DIR or not path.is_file():
        raise DocumentError(f"unknown document template {template!r}")
    payload = json.dumps({"font": BODY_FONT, **data}, ensure_ascii=False, default=str)
    try:
        result = typst.compile(
            str(path),
            root=str(TYPST_DIR),
            format="pdf",
            font_paths=list(font_paths()),
            ignore_system_fonts=True,
            sys_inputs={"data": payload},
            pdf_standards=PDF_STANDARD,
            timestamp=at.replace(microsecond=0) if at is not None else None,
        )
    except typst.TypstError as exc:  # pragma: no cover - a template bug
        raise DocumentError(str(exc)) from exc
    if not isinstance(result, bytes):  # pragma: no cover - only for multi-page image output
        raise DocumentError("Typst returned no PDF")
    return result
