#!/usr/bin/env bash
# Builds every image of docker/Dockerfile, starts docker/compose.yaml, uploads
# and backfills sample data through the CLI image, checks every list the
# containerized API serves against a brute-force computation from the CSVs
# (docker/smoke-check.mjs), checks the API runs as a non-root user through
# the read-only database login, and tears everything down (also on failure).
#
#   bash docker/smoke.sh            # from the repository root, after npm ci
#
# Needs a Docker engine with BuildKit (20.10+), `docker compose` or
# `docker-compose` 1.29, and the base images (or their stand-ins, see
# .ci/run). Uses its own project name and free loopback ports, so it never
# touches a stack started with `docker compose up`.
#   SMOKE_DAYS=3       days of sample data backfilled
#   SMOKE_KEEP=1       leave the stack running for a look (docker compose -p <project> down -v later)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[smoke] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# Debian's client matches Debian's engine and has BuildKit built in; another
# client earlier on PATH may want a buildx plugin that is not there.
DOCKER=$(command -v /usr/bin/docker || command -v docker) || fail "no docker client"
if $DOCKER compose version >/dev/null 2>&1; then COMPOSE=("$DOCKER" compose)
elif command -v docker-compose >/dev/null 2>&1; then COMPOSE=(docker-compose)
else fail "neither 'docker compose' nor 'docker-compose' is installed"; fi
NODE=${NODE:-node_modules/.bin/node}
[ -x "$NODE" ] || fail "$NODE is missing: run npm ci first"

free_port() { "$NODE" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
export ADREC_IMAGE_TAG=smoke
export ADREC_API_PORT=$(free_port) ADREC_FAUXQS_PORT=$(free_port) ADREC_POSTGRES_PORT=$(free_port) ADREC_API_BIND=127.0.0.1
export NIGHTLY_CRON="0 2 * * *" POSTGRES_PASSWORD=smoke-owner-pw ADREC_API_DB_PASSWORD=smoke-reader-pw
project=adrec-smoke-$$
compose() { "${COMPOSE[@]}" -p "$project" -f docker/compose.yaml "$@"; }
data=$(mktemp -d /tmp/adrec-smoke-data.XXXXXX)
chmod 0777 "$data"   # the CLI image writes as the `node` user

teardown() {
  local code=$?
  if [ "$code" != 0 ]; then
    log "logs of the failed stack:"
    compose logs --no-color --tail=40 >&2 || true
  fi
  if [ -n "${SMOKE_KEEP:-}" ]; then
    log "kept: ${COMPOSE[*]} -p $project -f docker/compose.yaml down -v"
  else
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  rm -rf "$data"
  exit "$code"
}
trap teardown EXIT

log "building the five images (BuildKit; the build stage is shared and cached)"
for target in cli ingest models writer api; do
  start=$(date +%s)
  DOCKER_BUILDKIT=1 $DOCKER build --quiet -f docker/Dockerfile --target "$target" -t "adrec-$target:$ADREC_IMAGE_TAG" . >/dev/null \
    || fail "docker build --target $target"
  log "  adrec-$target:$ADREC_IMAGE_TAG ($(( $(date +%s) - start )) s)"
done

log "starting the stack ($project, with ${COMPOSE[*]})"
compose up -d --no-build >/dev/null 2>&1 || { compose up -d --no-build; fail "compose up"; }
api=http://127.0.0.1:$ADREC_API_PORT
for _ in $(seq 1 180); do
  curl -fsS "$api/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "$api/ready" >/dev/null || fail "the API did not become ready at $api"
log "API ready at $api"

# The same CLI image and configuration as the `seed` profile, step by step.
days=${SMOKE_DAYS:-3}
end=$(date -u -d yesterday +%F)
from=$(date -u -d "$days days ago" +%F)
cli() { compose run --rm --no-deps -T -v "$data:/data" scheduler "$@"; }
cli generate --out /data --days "$days" --end-date "$end" >/dev/null || fail "adrec generate"
cli upload --data /data >/dev/null || fail "adrec upload"
log "backfilling $from … $end through the CLI image"
cli backfill --from "$from" --to "$end" >&2 || fail "adrec backfill"

log "comparing every list the API serves with the CSVs"
"$NODE" --no-warnings docker/smoke-check.mjs "$api" "$data" "$from" "$end" || fail "lists differ"

log "checking the API's user and database login"
uid=$(compose exec -T api id -u | tr -d '\r')
[ "$uid" != 0 ] || fail "the API runs as root"
psql() { compose exec -T postgres psql -U adrec -d adrec -Atc "$1" | tr -d '\r'; }
# Every session from the API's container: its publication listener, and its
# pool's connections, opened by a request just before.
api_ip=$($DOCKER inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(compose ps -q api)")
curl -fsS "$api/runs" >/dev/null && curl -fsS "$api/ready" >/dev/null
logins=$(psql "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity WHERE client_addr = '$api_ip'")
[ "$logins" = adrec_api ] || fail "the API's database sessions (from $api_ip) log in as '$logins', not only as adrec_api"
refused=$(compose exec -T -e PGPASSWORD="$ADREC_API_DB_PASSWORD" postgres \
  psql -h 127.0.0.1 -U adrec_api -d adrec -c 'DELETE FROM publications' 2>&1 || true)
echo "$refused" | grep -Eq 'read-only transaction|permission denied' || fail "the API's login was not refused a write: $refused"
log "API runs as uid $uid and reads as adrec_api, which cannot write"
log "passed"
