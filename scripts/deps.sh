#!/bin/sh
# Installs the Debian packages Rightdoor builds and tests with. Run as root (or with sudo).
set -e
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    build-essential clang pkg-config flex bison libyaml-dev libjansson-dev liblua5.4-dev libcmocka-dev valgrind \
    graphviz spin >/dev/null
