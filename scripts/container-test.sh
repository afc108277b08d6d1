#!/usr/bin/env bash
# container-test.sh: build pagesift's Dockerfile with podman (no Docker engine here), run it, and
# check what a user beside a crawler relies on. Prints "container: N passed, N failed"; exits non-zero
# on any failure, and loudly when podman cannot run at all.
#
#   bash scripts/container-test.sh        (as root; CI runs it from .ci/run)
#
# Env: MAKE_BASE (path of make-base-image.sh; default ../shared/container/make-base-image.sh beside
# the clone, or .ci/make-base-image.sh), IMAGE (default localhost/pagesift:ci), WAIT_S (default 90),
# KEEP_IMAGE=1 to keep the image afterwards.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
image=${IMAGE:-localhost/pagesift:ci}
name=pagesift-ci-$$
volume=pagesift-ci-data-$$
wait_s=${WAIT_S:-90}
token=container-test-admin-token-$$
tmp=$(mktemp -d)
passed=0 failed=0

ok()  { passed=$((passed + 1)); echo "PASS $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
loud() { echo; echo "!!!!! container test cannot run: $* !!!!!"; echo; }
cleanup() {
    podman rm -f -t 5 "$name" >/dev/null 2>&1
    podman volume rm -f "$volume" >/dev/null 2>&1
    [ "${KEEP_IMAGE:-0}" = 1 ] || podman rmi -f "$image" >/dev/null 2>&1
    podman image prune -f >/dev/null 2>&1
    rm -rf "$tmp"
}
finish() { echo "container: $passed passed, $failed failed"; [ "$failed" = 0 ] && [ "$passed" -gt 0 ]; exit $?; }
trap cleanup EXIT

# Small helpers: wait for an HTTP 200, and read a JSON field with node.
wait_200() { # url -> 0 when it answered 200 within WAIT_S
    local deadline=$(( $(date +%s) + wait_s ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        [ "$(curl -s -o "$tmp/body" -w '%{http_code}' -m 2 "$1")" = 200 ] && return 0
        [ "$(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || return 1
        sleep 0.5
    done
    return 1
}
json() { node -e "const v = JSON.parse(require('fs').readFileSync(0, 'utf8'))$1; console.log(typeof v === 'object' ? JSON.stringify(v) : v)"; }
run_container() {
    podman run -d --name "$name" -e ADMIN_TOKEN="$token" -v "$volume:/data" -p "127.0.0.1::8080" "$image" > /dev/null 2> "$tmp/run.err" || return 1
    port=$(podman port "$name" 8080/tcp | head -n 1 | sed 's/.*://')
    url="http://127.0.0.1:$port"
}

# 1. podman and the local base images (nothing can be pulled here)
make_base=${MAKE_BASE:-}
for candidate in "$root/../shared/container/make-base-image.sh" "$root/.ci/make-base-image.sh"; do
    [ -z "$make_base" ] && [ -f "$candidate" ] && make_base=$candidate
done
if [ -z "$make_base" ]; then loud "make-base-image.sh not found (set MAKE_BASE)"; bad "base images"; finish; fi
if ! bash "$make_base" > "$tmp/tags" 2> "$tmp/base.err"; then
    tail -n 20 "$tmp/base.err"; loud "make-base-image.sh failed: podman or the base images are unavailable"; bad "base images"; finish
fi
command -v podman > /dev/null || { loud "podman is not installed"; bad "podman"; finish; }

# 2. build (--format docker keeps the HEALTHCHECK)
t=$(date +%s)
if podman build --pull=never --format docker -t "$image" "$root" > "$tmp/build.log" 2>&1; then
    size=$(podman image inspect --format '{{.Size}}' "$image")
    ok "image builds ($(( $(date +%s) - t )) s, $(( size / 1000000 )) MB)"
else
    tail -n 40 "$tmp/build.log"; bad "image builds"; finish
fi

# 3. image metadata
user=$(podman image inspect --format '{{.Config.User}}' "$image")
case "${user%%:*}" in ""|root|0) bad "image USER is non-root (got '${user:-<unset>}')" ;; *) ok "image USER is '$user'" ;; esac
[ "$(podman image inspect --format '{{if .Config.Healthcheck}}yes{{end}}' "$image")" = yes ] && ok "image has a HEALTHCHECK" || bad "image has a HEALTHCHECK"
leaks=$(podman run --rm --entrypoint sh "$image" -c 'ls -d /app/test /app/src /app/.git /app/scripts /app/node_modules/typescript /app/node_modules/jest /app/node_modules/wabt 2>/dev/null')
[ -z "$leaks" ] && ok "no tests, sources, git or dev dependencies in the image" || bad "image holds $leaks"
# Retraining in the image fits with the compiled gradient loop (src/model/gradient.wat), built in the build stage.
podman run --rm --entrypoint sh "$image" -c 'test -s /app/dist/model/gradient.wasm' && ok "the compiled gradient loop is in the image" || bad "the compiled gradient loop is in the image"

# 4. run with an empty volume: the shipped model serves
if run_container; then ok "container starts"; else cat "$tmp/run.err"; bad "container starts"; finish; fi
if wait_200 "$url/ready"; then ok "ready: $(cat "$tmp/body")"; else bad "ready within ${wait_s} s"; podman logs --tail 30 "$name"; finish; fi
shipped=$(json '.model.version' < "$tmp/body")

# 5. the seed page comes out as the user labelled it
curl -s -H 'content-type: text/plain' --data-binary @"$root/test/fixtures/pages/seed-page/page.txt" "$url/v1/classify" > "$tmp/seed.json"
right=$(node -e "
  const got = JSON.parse(require('fs').readFileSync('$tmp/seed.json', 'utf8')).blocks;
  const want = JSON.parse(require('fs').readFileSync('$root/test/fixtures/pages/seed-page/expected.json', 'utf8')).blocks;
  console.log(got.length === want.length ? want.filter((b, i) => got[i].label === b.label).length + '/' + want.length : 'count ' + got.length);")
[ "$right" = 48/48 ] && ok "seed page labelled $right" || bad "seed page labelled $right"

# 6. the example crawler client keeps only the article text
if PAGESIFT_URL="$url" PAGES_DIR="$root/test/fixtures/pages/seed-page" node "$root/scripts/crawler-client.js" > "$tmp/content.txt" 2> "$tmp/crawler.err" \
    && grep -q 'NEW YORK/WASHINGTON' "$tmp/content.txt" && ! grep -q 'numberArticlesLeft' "$tmp/content.txt"; then
    ok "crawler client keeps the article text ($(cat "$tmp/crawler.err"))"
else
    bad "crawler client: $(cat "$tmp/crawler.err")"
fi

# 7. non-root inside, and healthy
uid=$(podman exec "$name" id -u 2>/dev/null)
pid1_uid=$(podman exec "$name" awk '/^Uid:/ { print $2 }' /proc/1/status 2>/dev/null)
if [ -n "$uid" ] && [ "$uid" != 0 ] && [ -n "$pid1_uid" ] && [ "$pid1_uid" != 0 ]; then ok "non-root inside (uid $uid, PID 1 uid $pid1_uid)"; else bad "non-root inside (uid '$uid', PID 1 uid '$pid1_uid')"; fi
health="" deadline=$(( $(date +%s) + wait_s ))
while [ "$(date +%s)" -lt "$deadline" ]; do
    health=$(podman healthcheck run "$name" 2>&1) && { health=healthy; break; }
    sleep 1
done
[ "$health" = healthy ] && ok "HEALTHCHECK healthy" || bad "HEALTHCHECK healthy (last: $health)"

# 8. teach it a new label and retrain, with the token
auth="Authorization: Bearer $token"
code=$(curl -s -o "$tmp/add.json" -w '%{http_code}' -H "$auth" -H 'content-type: application/json' "$url/v1/examples" \
    -d '{"examples": [{"text": "Reply · 12 likes", "label": "comment"}, {"text": "Ana wrote: the ferry was late again today", "label": "comment"}]}')
[ "$code" = 201 ] && ok "examples accepted (201)" || bad "examples accepted (got $code: $(cat "$tmp/add.json"))"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/v1/retrain")" = 401 ] && ok "retrain without the token is 401" || bad "retrain without the token is 401"
job=$(curl -s -X POST -H "$auth" "$url/v1/retrain" | json '.id')
state=running deadline=$(( $(date +%s) + 180 ))
while [ "$state" = running ] && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 2
    curl -s -H "$auth" "$url/v1/retrain/$job" > "$tmp/job.json"
    state=$(json '.state' < "$tmp/job.json")
done
retrained=$(json '.version' < "$tmp/job.json")
[ "$state" = activated ] && [ "$retrained" != "$shipped" ] && ok "retrain activated $retrained" || bad "retrain (state $state: $(cat "$tmp/job.json"))"

# 9. the retrained model survives a container restart, and a new container on the same volume
podman restart -t 15 "$name" > /dev/null 2>&1
port=$(podman port "$name" 8080/tcp | head -n 1 | sed 's/.*://'); url="http://127.0.0.1:$port"
if wait_200 "$url/ready" && [ "$(json '.model.version' < "$tmp/body")" = "$retrained" ]; then ok "after a restart the retrained model is live"; else bad "after a restart: $(cat "$tmp/body")"; fi
podman rm -f -t 15 "$name" > /dev/null 2>&1
run_container
if wait_200 "$url/ready" && [ "$(json '.model.version' < "$tmp/body")" = "$retrained" ] \
    && curl -s "$url/v1/model" | json '.labels.includes("comment")' | grep -q true; then
    ok "a new container on the same volume (an upgrade) serves the retrained model and its new label"
else
    bad "a new container on the same volume: $(cat "$tmp/body")"
fi

# 10. compose.yaml for real: podman-compose builds pagesift, starts it, and runs the example crawler
#     on the compose network, where it reaches pagesift by its service name.
if ! command -v podman-compose > /dev/null; then
    apt-get install -y podman-compose > "$tmp/apt.log" 2>&1 || { apt-get update > /dev/null 2>&1 && apt-get install -y podman-compose > "$tmp/apt.log" 2>&1; }
fi
if command -v podman-compose > /dev/null; then
    project=pagesift-ci-$$
    # Published on a port of its own, so a service already on 8080 cannot fail the test.
    (cd "$root" && PAGESIFT_PORT=$(( 20000 + $$ % 20000 )) timeout 300 podman-compose -p "$project" up --build --abort-on-container-exit) > "$tmp/compose.log" 2>&1
    if grep -q 'page.txt: kept 14 of 48 blocks' "$tmp/compose.log" && grep -q '^NEW YORK/WASHINGTON' "$tmp/compose.log" && ! grep -q '^You have {{numberArticlesLeft}}' "$tmp/compose.log"; then
        ok "compose.yaml: the crawler reaches http://pagesift:8080 on pagesift-net and keeps the article text"
    else
        grep -v systemd "$tmp/compose.log" | tail -n 20; bad "compose.yaml: crawler output"
    fi
    (cd "$root" && podman-compose -p "$project" down -v) > /dev/null 2>&1
    podman network rm pagesift-net > /dev/null 2>&1
    podman rmi -f pagesift:latest > /dev/null 2>&1
else
    tail -n 5 "$tmp/apt.log"; bad "podman-compose could not be installed"
fi

# 11. stops cleanly on SIGTERM
t=$(date +%s)
podman stop -t 15 "$name" > /dev/null 2>&1
rc=$(podman inspect --format '{{.State.ExitCode}}' "$name")
[ "$rc" = 0 ] && ok "SIGTERM: exits 0 in $(( $(date +%s) - t )) s" || bad "SIGTERM: exit code $rc"

finish
