#!/usr/bin/env bash
# Regenerate docs/screenshots/ from the browser tests: each demo role's start page, full page,
# 1280×900, taken by tests/browser/test_roles.py against a live server with the demo world.
# Needs Debian's Chromium at /usr/bin/chromium (never downloads a browser).
#
# Runs in one process (-n 0 turns off the `-n 2` that pyproject's addopts give pytest-xdist;
# `-p no:xdist` would leave that `-n 2` unrecognised). Only tests/browser/test_roles.py takes
# screenshots, but the whole browser layer runs so the pictures come from a passing layer.
set -euo pipefail
cd "$(dirname "$0")/.."
VEIVISER_SCREENSHOTS=1 uv run pytest tests/browser -m browser -n 0 -q "$@"
ls -l docs/screenshots/*-start.png
