#!/usr/bin/env bash
# Opens the web page of `crossmt serve` in headless Chromium, lets it translate two sentences
# (?auto), and checks the rendered page: the translation in the output box, one heatmap section
# per sentence in the attention frame, no external resources. Optionally saves a screenshot.
# Usage: tools/check_serve_page.sh [BUILD_DIR] [SCREENSHOT.png]
# Skips (exit 0 with a message) when no Chromium is installed (apt-get install -y chromium),
# except under CI=true.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
screenshot="${2:-}"
crossmt="$build/crossmt"
[[ -x "$crossmt" ]] || { echo "check_serve_page: $crossmt not built" >&2; exit 1; }
check_name=check_serve_page
# shellcheck source=tools/find_chromium.sh
source "$root/tools/find_chromium.sh"

work="$(mktemp -d)"
server=""
cleanup() {
  if [[ -n "$server" ]]; then kill -TERM "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$crossmt" serve --port 0 2> "$work/server.log" &
server=$!
port=""
for _ in $(seq 200); do
  port=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$work/server.log")
  [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/health" > /dev/null && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "check_serve_page: FAIL, the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

curl -sf "http://127.0.0.1:$port/" > "$work/page.html"
if grep -Eiq '<(script|link|img)[^>]+(src|href)=|@import|url\(|https?://' "$work/page.html"; then
  echo "check_serve_page: FAIL, the page refers to external resources" >&2
  exit 1
fi
# Two sentences, the result rendered into the page by the server (the frame holds the attention
# page, drawn by its own script).
url="http://127.0.0.1:$port/?from=en&to=de&text=A%20man%20is%20riding%20a%20bike.%0ATwo%20dogs%20play%20in%20the%20snow."
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --hide-scrollbars --virtual-time-budget=20000)
"$browser" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --dump-dom "$url" > "$work/dom.html" \
  2> "$work/chromium-dom.log" || true
status=0
expected=$(curl -sf -X POST "http://127.0.0.1:$port/translate" -H 'Content-Type: application/json' \
  -d '{"q":"A man is riding a bike.","source":"en","target":"de"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["translatedText"])')
if ! grep -q "<div id=\"output\" aria-live=\"polite\">$expected" "$work/dom.html"; then
  echo "check_serve_page: FAIL, the output box does not hold '$expected'" >&2
  grep -o '<div id="output"[^<]*</div>' "$work/dom.html" >&2 || tail -5 "$work/chromium-dom.log" >&2
  status=1
fi
if ! grep -q 'srcdoc="' "$work/dom.html" || ! grep -q 'id=&quot;map-1&quot;' "$work/dom.html"; then
  echo "check_serve_page: FAIL, no attention page in the frame" >&2
  status=1
fi
if [[ -n "$screenshot" ]]; then
  "$browser" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --screenshot="$screenshot" \
    --window-size=1200,1000 "$url" > /dev/null 2> "$work/chromium-shot.log" || true
  if [[ ! -s "$screenshot" ]]; then
    echo "check_serve_page: FAIL, no screenshot was produced" >&2
    status=1
  fi
fi
[[ $status -eq 0 ]] && echo "check_serve_page: OK (translation shown, attention page framed)"
exit $status
