#!/usr/bin/env bash
# Installs, from Debian, what the fixture bots in other languages need (tests/tls-proxy.spec.ts):
# Python's requests and PyJWT for /usr/bin/python3, Go, a JDK, and ps. Installs only what
# is missing, with one apt-get update; prints how long it took. Measured on this machine kind
# (2 cores, bookworm): apt-get update + python3-requests 37 s; golang-go 35 s.
# Tests whose toolchain is still missing afterwards skip with the reason printed.
set -uo pipefail
start=$(date +%s)
packages=()
/usr/bin/python3 -c 'import requests, jwt, cryptography' 2>/dev/null || packages+=(python3-requests python3-jwt python3-cryptography)
command -v go >/dev/null 2>&1 || packages+=(golang-go)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
# ps (procps): a bot started through npm or a script is stopped with its descendants (harness/run/process-tree.ts).
command -v ps >/dev/null 2>&1 || packages+=(procps)
if [ ${#packages[@]} -eq 0 ]; then
  echo "confcall: the language toolchains are installed already"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "confcall: cannot install ${packages[*]} (needs root and apt-get); their fixture-bot tests will skip"
  exit 0
fi
echo "confcall: installing ${packages[*]} from Debian for the fixture bots"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null \
  || echo "confcall: apt-get could not install ${packages[*]}; their fixture-bot tests will skip"
echo "confcall: language toolchains took $(( $(date +%s) - start )) s"
exit 0
