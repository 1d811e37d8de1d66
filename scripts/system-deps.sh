#!/usr/bin/env bash
# Installs the system packages procmap's development, rendering and browser test need,
# when they are missing: make, git and python3-venv (to build the virtualenv), Graphviz
# (dot), a CJK font, Chromium, node and npm (only with --browser) and a Java runtime for
# the Spark proof of `procmap conform` (only with --spark). Options combine.
# Uses apt-get when running as root; otherwise prints what to install and carries on
# (tests that need a missing package are skipped and say so).
set -u
want_browser=0
want_spark=0
for option in "$@"; do
  case "$option" in
    --browser) want_browser=1 ;;
    --spark) want_spark=1 ;;
  esac
done

missing=()
command -v make >/dev/null 2>&1 || missing+=(make)
command -v git >/dev/null 2>&1 || missing+=(git)
# `python3 -m venv` needs ensurepip, which Debian ships separately
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
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
if [ "$want_spark" = 1 ]; then
  # pyspark (the `spark` extra) runs on a JVM: tests/conform/test_spark.py
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
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
