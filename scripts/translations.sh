#!/usr/bin/env bash
# Refresh the nynorsk (nn) and English (en) translations of the interface.
#
# The source strings (msgids) are Norwegian bokmål, written in the templates and in the
# Python code's gettext calls. Run this script after adding or changing such strings:
#
#   1. bash scripts/translations.sh        (extracts new strings into the .po files,
#                                           drops removed ones, compiles the .mo files)
#   2. translate the entries it lists (new, empty or "#, fuzzy") in
#      src/veiviser/locale/{nn,en}/LC_MESSAGES/django.po, with the project glossary's terms
#      (nynorsk: rettleiar, utdanningsverksemd, fastlegeheimel, …; English: supervisor,
#      clinical supervisor, training institution, GP office, GP list position, …), and
#      delete the "#, fuzzy" line of each entry you have checked,
#   3. bash scripts/translations.sh again  (compiles the .mo files; exits 1 while any
#                                           entry is untranslated or fuzzy),
#   4. uv run pytest tests/unit/test_translations.py, commit .po and .mo together.
#
# Needs GNU gettext (msgfmt, xgettext, msgmerge).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/src/veiviser"
export DJANGO_SETTINGS_MODULE=veiviser.settings

mkdir -p locale/nn/LC_MESSAGES locale/en/LC_MESSAGES
uv run django-admin makemessages -l nn -l en --no-obsolete --ignore 'static/*'
uv run django-admin compilemessages -l nn -l en

# Report what is still missing, so a refresh never silently ships untranslated text.
# (makemessages pre-fills new strings with "#, fuzzy" guesses from similar old ones: those
# guesses are usually wrong and Django never shows fuzzy entries, so translate them afresh.)
status=0
for lang in nn en; do
  po="locale/$lang/LC_MESSAGES/django.po"
  echo "$lang: $(msgfmt --statistics -o /dev/null "$po" 2>&1)"
  todo="$( (msgattrib --no-wrap --only-fuzzy "$po"; msgattrib --no-wrap --untranslated "$po") \
    | grep '^msgid "..*"$' | sort -u || true)"
  if [[ -n "$todo" ]]; then
    echo "  to translate in $po:"
    sed 's/^/    /' <<<"$todo"
    status=1
  fi
done
exit $status
