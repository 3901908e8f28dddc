#!/bin/sh
# The fleet tests start real nats-server processes (JetStream, loopback). Installs Debian's
# package when nats-server is missing (never a downloaded binary). Run by `npm test` (pretest).
command -v nats-server >/dev/null 2>&1 && exit 0
echo "proctree-rx: nats-server not found; installing Debian's nats-server package" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y nats-server >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y nats-server >&2; } || {
  echo "proctree-rx: could not install nats-server (apt-get install nats-server); the fleet tests need it" >&2
  exit 1
}
