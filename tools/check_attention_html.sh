#!/usr/bin/env bash
# Builds an attention page for a few en-de sentences with the default model, opens it in headless
# Chromium, and checks that a non-empty screenshot came out and that the rendered page holds one
# heatmap per sentence (and one cell per source x target word).
# Usage: tools/check_attention_html.sh [BUILD_DIR] [SCREENSHOT.png]
# Skips (exit 0 with a message) when no Chromium is installed (apt-get install -y chromium),
# except under CI=true.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
screenshot="${2:-}"
crossmt="$build/crossmt"
[[ -x "$crossmt" ]] || { echo "check_attention_html: $crossmt not built" >&2; exit 1; }

check_name=check_attention_html
# shellcheck source=tools/find_chromium.sh
source "$root/tools/find_chromium.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/input.txt" << 'EOF'
A woman in a red jacket is riding a bicycle.
Two dogs play in the snow.
A man in an orange hat starring at something.
EOF
sentences=$(wc -l < "$work/input.txt")

"$crossmt" translate --to de --quiet -i "$work/input.txt" --alignment hard --attention-html "$work/page.html" \
  --attention-json "$work/page.jsonl" > "$work/translations.txt"

# Self-contained: no external scripts, styles, fonts or fetches.
if grep -Eiq '<(script|link|img)[^>]+(src|href)=|@import|url\(|https?://' "$work/page.html"; then
  echo "check_attention_html: FAIL, the page refers to external resources" >&2
  exit 1
fi

chrome_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --hide-scrollbars)
"$browser" "${chrome_flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --dump-dom "file://$work/page.html" \
  > "$work/dom.html" 2> "$work/chromium-dom.log" || true
shot="$work/page.png"
"$browser" "${chrome_flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --screenshot="$shot" --window-size=1200,900 \
  "file://$work/page.html" > /dev/null 2> "$work/chromium-shot.log" || true

status=0
if [[ ! -s "$shot" ]]; then
  echo "check_attention_html: FAIL, no screenshot was produced" >&2
  tail -5 "$work/chromium-shot.log" >&2 || true
  status=1
fi
heatmaps=$(grep -o '<table class="heatmap"' "$work/dom.html" | wc -l)
if [[ "$heatmaps" -ne "$sentences" ]]; then
  echo "check_attention_html: FAIL, $heatmaps heatmaps rendered for $sentences sentences" >&2
  status=1
fi
# Cells: the sum over sentences of source words x target words, from the JSON export.
expected_cells=$(python3 -c '
import json, sys
print(sum(len(r["source_tokens"]) * len(r["target_tokens"]) for r in map(json.loads, open(sys.argv[1]))))' \
  "$work/page.jsonl" 2> /dev/null || echo "")
cells=$(grep -o 'class="cell' "$work/dom.html" | wc -l)
hard=$(grep -o 'class="cell hard' "$work/dom.html" | wc -l)
if [[ -n "$expected_cells" && "$cells" -ne "$expected_cells" ]]; then
  echo "check_attention_html: FAIL, $cells cells rendered, expected $expected_cells" >&2
  status=1
fi
if [[ "$hard" -eq 0 ]]; then
  echo "check_attention_html: FAIL, no hard alignment cell is marked" >&2
  status=1
fi
if [[ -n "$screenshot" && -s "$shot" ]]; then cp "$shot" "$screenshot"; fi
if [[ "$status" -eq 0 ]]; then
  echo "check_attention_html: OK, $heatmaps heatmaps, $cells cells ($hard hard), screenshot $(stat -c %s "$shot") bytes"
fi
exit "$status"
