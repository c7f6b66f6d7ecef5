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
# Published as the container image is: self-contained, the server, its libraries and the .NET
# runtime compiled ahead of time together into one composite ReadyToRun image. Compiled
# together, the generic code that joins them (async methods, collections of our types, the
# store's engine) is precompiled too instead of JIT-compiled at every start (BENCHMARKS.md,
# "Ready in a second"). The build also builds the map page.
dotnet publish src/Lagesbild.Server -c Release --use-current-runtime --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o artifacts/server --nologo -v quiet
# Development with the built-in sign-in (named demo users): the server offers it only when
# asked for, and only in Development. Either can be overridden (env, or --Lagesbild:Auth:...).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Lagesbild__Auth__DevelopmentSignIn="${Lagesbild__Auth__DevelopmentSignIn:-true}"
exec dotnet artifacts/server/Lagesbild.Server.dll --contentRoot "$root/src/Lagesbild.Server" \
  --Lagesbild:Storage:DataDirectory="$root/data" "$@"
