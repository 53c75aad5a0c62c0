#!/usr/bin/env bash
# Security checks that are not tests (docs/security.md):
#   1. ruff's bandit rules (S) over src/ (they also run in CI's `ruff check`);
#   2. pip-audit over the locked requirements (uv.lock, exported without hashes).
#
# Exit 0: no finding. Exit 1: a finding (a known vulnerability, a bandit finding, or a
# dependency the vulnerability service could not audit although the service answered).
# The one exception: when the vulnerability service cannot be reached (this machine reaches only
# a PyPI mirror, which does not serve PyPI's per-version JSON with vulnerability data), the
# audit cannot run at all; the script then says so in a WARNING and exits 0. "Cannot be reached"
# is decided by a probe, not by pip-audit's output: the per-version JSON of a locked package
# (https://pypi.org/pypi/<name>/<version>/json) must answer 200 with a "vulnerabilities" key.
# If the probe succeeds, every skipped dependency is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== ruff bandit rules (S), with the project's configuration (pyproject.toml)"
set +e
uv run --frozen ruff check src --output-format json >"$work/ruff.json"
set -e
bandit_findings=$(uv run --frozen python - "$work/ruff.json" <<'PY'
import json
import sys

findings = [f for f in json.load(open(sys.argv[1])) if (f.get("code") or "").startswith("S")]
for f in findings:
    print(f"{f['filename']}:{f['location']['row']}: {f['code']} {f['message']}", file=sys.stderr)
print(len(findings))
PY
)
if [ "$bandit_findings" != "0" ]; then
  echo "FAIL: $bandit_findings bandit finding(s) (ruff S rules) in src/." >&2
  exit 1
fi
echo "OK: no bandit finding."

echo "== pip-audit (locked requirements)"
uv export --frozen --no-hashes --no-emit-project --format requirements-txt >"$work/requirements.txt"
set +e
uv run --frozen pip-audit -r "$work/requirements.txt" --no-deps --disable-pip \
  --progress-spinner off --format json --output "$work/audit.json" 2>"$work/audit.log"
audit_status=$?
set -e

uv run --frozen python - "$work/requirements.txt" "$work/audit.json" "$audit_status" \
  "$work/audit.log" <<'PY'
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

requirements, report, status, log = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
SERVICE = "https://pypi.org/pypi/{name}/{version}/json"


def locked() -> list[tuple[str, str]]:
    pins = []
    for line in requirements.read_text().splitlines():
        line = line.split(";")[0].strip()
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins.append((name.strip(), version.strip()))
    return pins


def service_reachable(pins: list[tuple[str, str]]) -> tuple[bool, str]:
    name, version = next(((n, v) for n, v in pins if n.lower() == "django"), pins[0])
    url = SERVICE.format(name=name, version=version)
    try:
        with urllib.request.urlopen(url, timeout=15) as answer:  # noqa: S310 - fixed https URL
            data = json.load(answer)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return False, f"{url}: {exc}"
    if "vulnerabilities" not in data:
        return False, f"{url}: answered without vulnerability data"
    return True, url


pins = locked()
results = json.loads(report.read_text()) if report.exists() and report.stat().st_size else None
if results is None:
    reachable, why = service_reachable(pins)
    if not reachable:
        print(f"WARNING: pip-audit could not run: the vulnerability service is unreachable ({why}).")
        print("WARNING: the dependencies were NOT audited; run scripts/security.sh where PyPI is reachable.")
        sys.exit(0)
    print(log.read_text(), file=sys.stderr)
    print(f"FAIL: pip-audit failed (exit {status}) although the service answers.")
    sys.exit(1)

dependencies = results.get("dependencies", [])
vulnerable = [d for d in dependencies if d.get("vulns")]
skipped = [d for d in dependencies if d.get("skip_reason")]
audited = len(dependencies) - len(skipped)
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
        print(f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
if vulnerable:
    print(f"FAIL: {len(vulnerable)} locked dependencies have known vulnerabilities.")
    sys.exit(1)
if skipped:
    reachable, why = service_reachable(pins)
    if not reachable:
        print(f"WARNING: the vulnerability service is unreachable ({why}); "
              f"{len(skipped)} of {len(dependencies)} dependencies were NOT audited "
              f"({audited} audited, no known vulnerability among them).")
        print("WARNING: run scripts/security.sh where PyPI is reachable for a real audit.")
        sys.exit(0)
    for dependency in skipped:
        print(f"NOT AUDITED: {dependency['name']}: {dependency['skip_reason']}")
    print(f"FAIL: {len(skipped)} dependencies could not be audited although the service answers.")
    sys.exit(1)
print(f"OK: {audited} locked dependencies audited, no known vulnerability.")
PY
