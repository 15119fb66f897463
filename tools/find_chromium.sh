# Sourced by the headless-Chromium checks: sets $browser to a Chromium found on PATH, or exits the
# check: 0 with a SKIPPED message, or 1 under CI=true (CI installs Chromium, see .ci/run).
# Usage: check_name=NAME; source tools/find_chromium.sh
browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" > /dev/null 2>&1; then browser="$(command -v "$candidate")"; break; fi
done
if [[ -z "$browser" ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "$check_name: no chromium found, and CI must check the page" >&2
    exit 1
  fi
  echo "$check_name: SKIPPED, no chromium found (apt-get install -y chromium)"
  exit 0
fi
