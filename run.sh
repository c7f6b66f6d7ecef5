#!/usr/bin/env bash
# Runs Lagesbild on this machine with the embedded store and the demo data, and prints the
# address to open. Data is kept in ./data, so a restart loses nothing.
set -euo pipefail
cd "$(dirname "$0")"
root="$PWD"
# npm builds the page; DejaVu Sans is the PDF exports' typeface (Lagesbild:Exports:FontDirectory).
missing=()
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Published ReadyToRun (compiled ahead of time, as in the container image), which starts sooner
# than the plain build (start-to-ready figures in BENCHMARKS.md). The build also builds the map page.
dotnet publish src/Lagesbild.Server -c Release --use-current-runtime --self-contained false \
  -p:PublishReadyToRun=true -o artifacts/server --nologo -v quiet
# Development with the built-in sign-in (named demo users): the server offers it only when
# asked for, and only in Development. Either can be overridden (env, or --Lagesbild:Auth:...).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Lagesbild__Auth__DevelopmentSignIn="${Lagesbild__Auth__DevelopmentSignIn:-true}"
exec dotnet artifacts/server/Lagesbild.Server.dll --contentRoot "$root/src/Lagesbild.Server" \
  --Lagesbild:Storage:DataDirectory="$root/data" "$@"
