#!/usr/bin/env bash
# Issue 18's night scenario with the demo data: a sector goes down outside office hours, the TiB is told in the page,
# by e-mail and by SMS webhook; nobody answers, wave 2 reaches the backup; the TiB acknowledges with one call.
# Usage: docs/scenarios/night-alert.sh <repo> ; needs jq, curl, python3. Prints measured times.
set -euo pipefail
repo=$(cd "$1" && pwd); here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); log=$work/sink.log; B=http://127.0.0.1:5090
secret=$(head -c 24 /dev/urandom | xxd -p -c 64)
python3 "$here/mail-and-webhook-sink.py" "$log" 2525 2526 "$secret" & sink=$!
trap 'kill $sink $srv 2>/dev/null || true' EXIT
ms() { date +%s%3N; }
cd "$repo"
./run.sh --urls=$B --Lagesbild:Storage:DataDirectory="$work/data" \
  --Lagesbild:Alerts:Enabled=true --Lagesbild:Alerts:EscalateAfterSeconds=60 \
  --Lagesbild:Alerts:Channels:Smtp:Enabled=true --Lagesbild:Alerts:Channels:Smtp:Host=127.0.0.1 \
  --Lagesbild:Alerts:Channels:Smtp:Port=2525 --Lagesbild:Alerts:Channels:Smtp:Security=None \
  "--Lagesbild:Alerts:Channels:Smtp:From=Lagesbild <larm@stockholm.example>" \
  --Lagesbild:Alerts:Channels:Webhook:Enabled=true --Lagesbild:Alerts:Channels:Webhook:Targets:sms:Url=http://127.0.0.1:2526/sms \
  --Lagesbild:Alerts:Channels:Webhook:Targets:sms:Secret="$secret" \
  "--Lagesbild:Alerts:Channels:People:0:Name=Per Lind" --Lagesbild:Alerts:Channels:People:0:Email=per.lind@stockholm.example \
  --Lagesbild:Alerts:Channels:People:0:Webhook=sms \
  "--Lagesbild:Alerts:Channels:People:1:Name=Karin Holm" --Lagesbild:Alerts:Channels:People:1:Email=karin.holm@stockholm.example \
  > "$work/server.log" 2>&1 & srv=$!
until grep -q "redo:" "$work/server.log"; do sleep 1; kill -0 $srv; done
echo "server: $(grep 'redo:' "$work/server.log")"
tok() { curl -s -X POST "$B/api/dev/sign-in" -H 'Content-Type: application/json' -d "{\"user\":\"$1\"}" | jq -r .token; }
ANNA=$(tok anna); PER=$(tok per); LENA=$(tok lena)
call() { curl -s -o "$work/out" -w '%{http_code}' -X "$2" "$B/api/pictures/live/$3" -H "Authorization: Bearer $1" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d "${4:-{\}}"; }
until=$(date -u -d '+1 day' +%FT%TZ)
echo "rosters: tib $(call "$ANNA" PUT duty-rosters/tib "{\"shifts\":[{\"person\":\"Per Lind\",\"from\":\"$(date -u -d '-2 hours' +%FT%TZ)\",\"to\":\"$until\",\"phone\":\"070-111 11 11\"}]}")," \
  "tib-reserv $(call "$ANNA" PUT duty-rosters/tib-reserv "{\"shifts\":[{\"person\":\"Karin Holm\",\"from\":\"$(date -u -d '-2 hours' +%FT%TZ)\",\"to\":\"$until\",\"phone\":\"070-222 22 22\"}]}")"
curl -s "$B/api/pictures/live/duty/now" -H "Authorization: Bearer $PER" | jq -c '{at: .at, officeOpen: .officeOpen, holiday: .holiday, onDuty: [.duties[] | {roster, person: .now.person, inForce}]}' || true
sector=energiforsorjning
t0=$(ms)
echo "$(date -u +%T.%3N) lena: sector $sector down -> $(call "$LENA" PUT "sectors/$sector/status" '{"status":"Down","affectedDistricts":["farsta","skarholmen"]}')"
while :; do
  alert=$(curl -s "$B/api/pictures/live/snapshot" -H "Authorization: Bearer $PER" | jq -c "[.entities[] | select(.kind==\"Alert\" and .state.cause.entity==\"Sector/$sector\")][0] // empty")
  [ -n "$alert" ] && break; [ $(( $(ms) - t0 )) -lt 30000 ] || { echo "no alert in 30 s"; exit 1; }; sleep 0.05
done
t1=$(ms); id=$(jq -r .id <<<"$alert")
echo "alert $id in the TiB's picture after $((t1 - t0)) ms: $(jq -c '{title: .state.name, severity: .state.severity, to: [.state.recipients[] | .person + " " + .state]}' <<<"$alert")"
for kind in smtp webhook; do
  until grep -q "^[^ ]* $kind" "$log"; do sleep 0.05; done
  at=$(grep -m1 "^[^ ]* $kind" "$log" | cut -d' ' -f1); echo "$kind arrived $(( $(date -d "$at" +%s%3N) - t0 )) ms after the change: $(grep -m1 "^[^ ]* $kind" "$log" | cut -d' ' -f2-)"
done
echo "nobody answers; waiting for the escalation deadline (60 s)"
while ! curl -s "$B/api/pictures/live/snapshot" -H "Authorization: Bearer $ANNA" | jq -e ".entities[] | select(.id==\"$id\") | .state.recipients | length > 1" >/dev/null; do sleep 0.2; done
raised=$(jq -r ".entities[] | select(.id==\"$id\") | .state.raisedAt" <(curl -s "$B/api/pictures/live/snapshot" -H "Authorization: Bearer $ANNA"))
echo "wave 2: $(curl -s "$B/api/pictures/live/snapshot" -H "Authorization: Bearer $ANNA" | jq -c ".entities[] | select(.id==\"$id\") | [.state.recipients[] | {person, wave, state, notifiedAt}]")"
echo "raised at $raised"
until grep -q "karin.holm" "$log"; do sleep 0.1; done; echo "e-mail to wave 2: $(grep -m1 karin.holm "$log")"
t2=$(ms); echo "per acknowledges (one call) -> $(call "$PER" POST "alerts/$id/acknowledge")"
curl -s "$B/api/pictures/live/snapshot" -H "Authorization: Bearer $ANNA" | jq -c ".entities[] | select(.id==\"$id\") | {acknowledgedBy: .state.acknowledgedBy, recipients: [.state.recipients[] | {person, state}]}"
echo "sara (Farsta) tries to acknowledge the TiB alert -> $(call "$(tok sara)" POST "alerts/$id/acknowledge") $(jq -r .detail "$work/out" 2>/dev/null)"
echo "sink log:"; cat "$log"
