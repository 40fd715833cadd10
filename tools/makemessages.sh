#!/usr/bin/env bash
# Refresh every app's nb and nn catalogue from the source (needs GNU gettext).
# Usage: tools/makemessages.sh [app ...]   (default: every app with a locale/ folder)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
# Settings create $YRKESBRO_HOME (default ./var) on import; keep it out of the app folders.
export YRKESBRO_HOME="${YRKESBRO_HOME:-$(mktemp -d)}"
apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then
  for d in "$root"/src/yrkesbro/*/; do [ -d "$d/locale" ] && apps+=("$(basename "$d")"); done
fi
for app in "${apps[@]}"; do
  (cd "$root/src/yrkesbro/$app" && mkdir -p locale && \
   "$bin/yrkesbro" makemessages -l nb -l nn --no-obsolete --no-location --ignore 'tests/*' --ignore 'migrations/*' -v 0)
  echo "updated $app"
done
