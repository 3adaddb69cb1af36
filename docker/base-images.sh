#!/usr/bin/env bash
# Makes sure the public images that docker/Dockerfile and docker/compose.yaml
# name are present: node:24-slim, postgres:16, and kibertoad/fauxqs at the
# version of the `fauxqs` npm dependency (test/compose-file.spec.ts keeps the
# compose file's tag equal to it). Pulls them; where no registry can be
# reached, builds local stand-ins with ../shared/containers/build-standin-images.sh
# (see its header) and the fauxqs npm package at the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER=$(command -v /usr/bin/docker || command -v docker)
fauxqs_version=$(node -p "require('./package-lock.json').packages['node_modules/fauxqs'].version")
fauxqs_image=kibertoad/fauxqs:$fauxqs_version

missing=()
for image in node:24-slim postgres:16 "$fauxqs_image"; do
  $DOCKER image inspect "$image" >/dev/null 2>&1 || timeout 120 $DOCKER pull -q "$image" >/dev/null 2>&1 || missing+=("$image")
done
if [ ${#missing[@]} -eq 0 ]; then echo "base images present"; exit 0; fi

echo "cannot pull ${missing[*]}: building local stand-ins"
standins=../shared/containers/build-standin-images.sh
if ! $DOCKER image inspect node:24-slim >/dev/null 2>&1 || ! $DOCKER image inspect postgres:16 >/dev/null 2>&1; then
  [ -f "$standins" ] || { echo "no registry and no $standins to build stand-ins with" >&2; exit 1; }
  bash "$standins"
fi
if ! $DOCKER image inspect "$fauxqs_image" >/dev/null 2>&1; then
  # The stand-in recipe for fauxqs, at the pinned version.
  printf '%s\n' \
    'FROM node:24-slim' \
    "RUN npm install -g --no-audit --no-fund fauxqs@$fauxqs_version >/dev/null && mkdir -p /data" \
    'ENV FAUXQS_PORT=4566 FAUXQS_DATA_DIR=/data' \
    'EXPOSE 4566' \
    'HEALTHCHECK --interval=3s --timeout=2s --retries=20 CMD ["node", "-e", "fetch(\"http://127.0.0.1:4566/health\").then(() => process.exit(0), () => process.exit(1))"]' \
    'CMD ["fauxqs"]' |
    DOCKER_BUILDKIT=1 $DOCKER build -q -t "$fauxqs_image" - >/dev/null
  echo "built stand-in $fauxqs_image"
fi
