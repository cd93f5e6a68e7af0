#!/usr/bin/env bash
# Installs the Debian packages Tapline needs when they are missing: PostgreSQL + PostGIS (the database),
# PgBouncer (the pooler the scale-out tests run behind), Chromium + ChromeDriver (console browser tests),
# GDAL (ogrinfo reads the exports back), poppler (pdftotext/pdftoppm read the site drawing back) and a
# CJK font (the site drawing's Chinese text).
# As root it installs them; otherwise it names them and stops, so nothing half-works.
set -euo pipefail

PG_MAJOR="${TAPLINE_PG_MAJOR:-15}"
packages=()
need() {  # need PACKAGE PATH: the package is missing when PATH does not exist
  [ -e "$2" ] || packages+=("$1")
}
need "postgresql-${PG_MAJOR}" "/usr/lib/postgresql/${PG_MAJOR}/bin/initdb"
need "postgresql-${PG_MAJOR}-postgis-3" "/usr/share/postgresql/${PG_MAJOR}/extension/postgis.control"
need pgbouncer /usr/sbin/pgbouncer
need chromium /usr/bin/chromium
need chromium-driver /usr/bin/chromedriver
need gdal-bin /usr/bin/ogrinfo
need poppler-utils /usr/bin/pdftotext
need fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
# TrueType CJK glyphs for the PDF site drawing: Noto CJK is CFF-based, which PDF writers embed less cleanly.
need fonts-wqy-zenhei /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
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
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
