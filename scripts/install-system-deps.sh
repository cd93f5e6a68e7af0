#!/usr/bin/env bash
# Installs the Debian packages Tapline needs (PostgreSQL server + PostGIS) when they are missing.
# As root it installs them; otherwise it names them and stops, so nothing half-works.
set -euo pipefail

PG_MAJOR="${TAPLINE_PG_MAJOR:-15}"
packages=()
[ -x "/usr/lib/postgresql/${PG_MAJOR}/bin/initdb" ] || packages+=("postgresql-${PG_MAJOR}")
[ -f "/usr/share/postgresql/${PG_MAJOR}/extension/postgis.control" ] || packages+=("postgresql-${PG_MAJOR}-postgis-3")
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=("python3-venv")

[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Tapline needs these Debian packages: ${packages[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "Installing ${packages[*]} ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
