#!/bin/sh
# Installs Debian's chromium and chromium-driver (the same version: chromedriver drives that browser) for the
# console's browser tests (ConsoleTest), only where they are missing. Run by control-plane's Maven build
# (process-test-resources) as root, as on CI; nothing is downloaded but Debian's packages.
set -eu
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-chromium.sh: /usr/bin/chromium or /usr/bin/chromedriver is missing and this is not root: run" \
         "'apt-get install chromium chromium-driver' once" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null; }
/usr/bin/chromedriver --version
