#!/usr/bin/env bash
# Installs the system packages procmap's rendering and its browser test need, when they
# are missing: Graphviz (dot), a CJK font, and Chromium (only with --browser).
# Uses apt-get when running as root; otherwise prints what to install and carries on.
set -u
want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
if [ "$want_browser" = 1 ]; then
  # the BPMN test opens exports in bpmn-js (npm) inside headless Chromium
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "procmap: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "procmap: apt-get could not install ${missing[*]}; rendering to svg/png/pdf will be unavailable"
else
  echo "procmap: missing system packages: ${missing[*]} (install them, e.g. 'sudo apt-get install ${missing[*]}')"
fi
exit 0
