#!/usr/bin/env bash
# Build the discourse-bot image with buildah from a debootstrap Debian base, run it once on the seed
# config, and check what it printed. Needs root, buildah and debootstrap (installed with apt-get when missing).
# No Docker daemon needed. Usage: scripts/container-test.sh
# (env: KEEP=1 keeps the work folder; REUSE_IMAGE=1 skips the build when the image exists)
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=${SUITE:-bookworm}                       # Debian bookworm ships Python 3.11
MIRROR=${MIRROR:-http://deb.debian.org/debian}
BASE=localhost/discourse-bot-base:$SUITE
IMAGE=${IMAGE:-localhost/discourse-bot:test}
CA=/etc/ssl/certs/ca-certificates.crt
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
B=(buildah --storage-driver vfs)
WORK=$(mktemp -d /var/tmp/discourse-bot-ct.XXXXXX)
CTR=
start=$(date +%s)
step() { printf '[%4ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }
cleanup() {
    [ -n "$CTR" ] && "${B[@]}" rm "$CTR" >/dev/null 2>&1 || true
    "${B[@]}" rmi --prune >/dev/null 2>&1 || true   # earlier builds' untagged images
    [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
    step "installing buildah and debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null
fi

if ! "${B[@]}" inspect --type image "$BASE" >/dev/null 2>&1; then
    step "debootstrap $SUITE (minbase + python3-venv)"
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        "$SUITE" "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
    rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
    step "importing the base image $BASE"
    base_ctr=$("${B[@]}" from scratch)
    mnt=$("${B[@]}" mount "$base_ctr")
    cp -a "$WORK/rootfs/." "$mnt/"
    "${B[@]}" umount "$base_ctr" >/dev/null
    "${B[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash "$base_ctr"
    "${B[@]}" commit --quiet "$base_ctr" "$BASE" >/dev/null
    "${B[@]}" rm "$base_ctr" >/dev/null
    rm -rf "$WORK/rootfs"
fi

if [ "${REUSE_IMAGE:-0}" = 1 ] && "${B[@]}" inspect --type image "$IMAGE" >/dev/null 2>&1; then
    step "reusing $IMAGE (REUSE_IMAGE=1)"
else
    step "building $IMAGE from $BASE"
    "${B[@]}" bud --quiet --format docker --isolation chroot \
        --build-arg PYTHON_IMAGE="$BASE" --build-arg PIP_CERT="$CA" \
        -v "$CA:$CA:ro" -t "$IMAGE" . >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; fail "image build"; }
fi

step "checking the image configuration"
inspect=$("${B[@]}" inspect --type image "$IMAGE")
grep -q '"User": "bot"' <<<"$inspect" || fail "the image does not run as the non-root user 'bot'"
grep -q 'Healthcheck' <<<"$inspect" || fail "the image has no HEALTHCHECK"
grep -q '"/app/data"' <<<"$inspect" || fail "/app/data is not a volume"

mkdir -p "$WORK/data" && chown 10001 "$WORK/data"
CTR=$("${B[@]}" from --quiet "$IMAGE")
run() { "${B[@]}" run --isolation chroot -v "$WORK/data:/app/data" "$CTR" -- "$@"; }

step "whoami in the container"
[ "$(run id -u)" = 10001 ] || fail "the container does not run as uid 10001"

step "discourse-bot check-config"
run discourse-bot check-config || fail "check-config on the seed config"

step "discourse-bot run --once"
t0=$(date +%s)
run env DISCOURSE_BOT_HEALTH_PORT= discourse-bot run --once >"$WORK/run.out" 2>"$WORK/run.err" \
    || { cat "$WORK/run.out" "$WORK/run.err"; fail "run --once exited with an error"; }
run_seconds=$(( $(date +%s) - t0 ))
cat "$WORK/run.out" "$WORK/run.err" | head -40
grep -q '"feed": "seed"' "$WORK/run.out" || fail "no JSON log line about the feed 'seed' on stdout"
if grep -q '"level": "ERROR"' "$WORK/run.out"; then fail "errors were logged"; fi
[ -s "$WORK/data/bot.db" ] || fail "no database in the data volume"

step "discourse-bot status"
run discourse-bot status | tee "$WORK/status.out"
grep -Eq '^seed +' "$WORK/status.out" || fail "status does not list the feed 'seed'"
grep -Eq '^seed +.*\bok\b' "$WORK/status.out" || fail "the feed 'seed' is not healthy after one poll"

step "discourse-bot run (scheduler) for 25 s, its /healthz, the HEALTHCHECK command, SIGTERM"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run env DISCOURSE_BOT_HEALTH_PORT="$port" timeout -s TERM 25 discourse-bot run >"$WORK/serve.out" 2>&1 &
serve_pid=$!
healthy=0
for _ in $(seq 1 40); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" 2>/dev/null; then
        healthy=1; break
    fi
    sleep 0.5
done
[ "$healthy" = 1 ] || { wait "$serve_pid" || true; cat "$WORK/serve.out"; fail "/healthz never answered 200"; }
hc=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["Docker"]["config"]["Healthcheck"]["Test"][-1])' <<<"$inspect")
run env DISCOURSE_BOT_HEALTH_PORT="$port" python3 -c "$hc" || fail "the image's HEALTHCHECK command failed"
wait "$serve_pid" || true   # timeout(1) sends SIGTERM after 25 s
grep -q '"message": "worker .* stopped (clean' "$WORK/serve.out" || { tail -5 "$WORK/serve.out"; fail "no clean stop after SIGTERM"; }
grep -q '"message": "received SIGTERM' "$WORK/serve.out" || fail "SIGTERM not seen by the worker"

size=$("${B[@]}" images --format '{{.Size}}' "$IMAGE" | head -1)
step "PASS (image $IMAGE, $size; run --once took ${run_seconds}s)"
