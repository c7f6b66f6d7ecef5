#!/usr/bin/env bash
# Runs every Lagesbild test on a fresh machine: installs what the tests need when it is
# missing (Chromium for the browser tests, redis-server for the cluster tests, pdftoppm from
# poppler-utils to render an exported PDF's page, DejaVu Sans for the PDFs; npm packages
# come with the build), builds, runs all test projects and prints one closing line.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing from Debian: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet build Lagesbild.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
# One test project at a time: several of them start servers, clusters and browsers, and
# on two cores they would only disturb each other's timing.
for project in tests/*/*.Tests.csproj; do
  echo "== $project"
  dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=detailed" 2>&1 | tee -a "$log" || status=$?
done

# Each test project ends with "Total tests: N" and lines "     Passed: N", "     Failed: N",
# "    Skipped: N" (detailed output, which also shows what the fault and load tests print).
count() { awk -v key="$1" '$1 == key":" && $2 ~ /^[0-9]+$/ && NF == 2 {s += $2} END {print s + 0}' "$log"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
projects=$(ls tests/*/*.Tests.csproj | wc -l)
reported=$(awk '/^Total tests: +[0-9]+/ {n++} END {print n + 0}' "$log")
if [ "$reported" -ne "$projects" ]; then
  echo "Only $reported of $projects test projects reported a result."
  status=1
fi
# The names of failed tests again at the end, where a reader of only the run's last lines sees them.
if [ "$failed" -ne 0 ]; then
  echo "Failed tests:"
  grep -E '^  Failed [A-Za-z]' "$log" | sed 's/^  Failed /  /' | cut -c1-300
fi
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
