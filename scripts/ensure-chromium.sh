#!/usr/bin/env bash
# Installs Debian's Chromium for the labelling page's browser tests when it is missing (as root).
# Fails loudly rather than letting those tests be skipped.
set -uo pipefail
path=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$path" ] && exit 0
echo "ensure-chromium: $path is missing; installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y chromium > /tmp/ensure-chromium.log 2>&1 \
  || { apt-get update > /dev/null 2>&1 && apt-get install -y chromium > /tmp/ensure-chromium.log 2>&1; }
if [ ! -x "$path" ]; then
  tail -n 20 /tmp/ensure-chromium.log >&2
  echo "!!!!! ensure-chromium: could not install Chromium; the browser tests cannot run !!!!!" >&2
  exit 1
fi
