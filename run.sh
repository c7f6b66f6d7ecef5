#!/usr/bin/env bash
# Runs Lagesbild on this machine with the embedded store and the demo data, and prints the
# address to open. Data is kept in ./data, so a restart loses nothing.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
# Development: the built-in sign-in with named demo users (it refuses to run in Production).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
exec dotnet run --project src/Lagesbild.Server -c Release -- --Lagesbild:Storage:DataDirectory="$PWD/data" "$@"
