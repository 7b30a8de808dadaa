#!/bin/sh
# Re2ProgramSizeTest compares Meshplane's RE2 program sizes with the real RE2's, compiled against Debian's
# libre2-dev: install it where it is missing (a fresh CI machine), as the suite installs its other needs.
set -e
if [ -f /usr/include/re2/re2.h ] && command -v g++ >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libre2-dev g++ pkg-config >/dev/null
