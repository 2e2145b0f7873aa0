#!/usr/bin/env bash
# The runtime install, as a force's server gets it: `pip install .` from the lock, without the dev tools
# or the Graph extra, into a venv of its own. It must migrate a fresh SQLite database, serve, answer
# /healthz and the playground, and hold one conversation turn; then it stops. A runtime dependency that
# only the dev tools happened to bring in turns this red (greenlet did once).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
python=${PYTHON:-python3}
lock=${LOCK:-constraints.txt}
venv="$top/.venv-runtime"

say() { printf 'runtime-check: %s\n' "$*"; }

# --clear: nothing left over from an earlier install may stand in for a missing dependency.
"$python" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c "$lock" "$top"

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Run from an empty folder with none of a developer's platform settings: what `make run` meets first.
cd "$work"
# `env` runs each command in its own process (no shell function around it): the server's pid is then
# the one `cleanup` stops, rather than a subshell whose server would outlive the check.
unset_platforms=(-u SLACK_SIGNING_SECRET -u SLACK_BOT_TOKEN -u SLACK_CLIENT_ID -u SLACK_CLIENT_SECRET
                 -u TEAMS_APP_ID -u TEAMS_APP_PASSWORD -u TEAMS_TENANT_ID -u TEAMS_REGISTRATIONS
                 -u TEAMS_REGISTRATIONS_FILE -u DATABASE_URL -u PLAYGROUND -u PUBLIC_URL)
env "${unset_platforms[@]}" "$venv/bin/innovation-bot" migrate --demo > migrate.log 2>&1 \
  || { cat migrate.log; say "migrate failed"; exit 1; }
env "${unset_platforms[@]}" PORT="$port" "$venv/bin/innovation-bot" serve > serve.log 2>&1 &
server=$!

"$venv/bin/python" - "$port" <<'EOF' || { cat serve.log; say "the runtime install does not serve"; exit 1; }
import json, sys, time, urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"

def get(path: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return r.status, r.read()

deadline = time.monotonic() + 90
while True:
    try:
        status, body = get("/healthz")
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("no answer from /healthz within 90 s")
        time.sleep(0.3)
assert status == 200 and json.loads(body)["status"] == "ok", (status, body)
status, page = get("/")
assert status == 200 and b"<html" in page.lower(), "the playground page is not served"
event = {"persona": {"name": "Runtime Check", "force": "kent", "role": "officer"}, "kind": "message",
         "text": "I've got an idea"}
request = urllib.request.Request(base + "/playground/api/events", data=json.dumps(event).encode(),
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=30) as r:
    replies = json.loads(r.read())["replies"]
assert replies, "the bot did not answer a playground message"
print(f"runtime-check: migrate, /healthz, the playground and one conversation turn work ({len(replies)} replies)")
EOF
