#!/usr/bin/env bash
# The Debian packages the whole test suite needs beyond the Python and npm ones: Chromium for
# the browser tests, PostgreSQL's server for the second run, gettext for the translations and
# xmlsec1 for SAML signatures (pysaml2 runs it). Installs the missing ones as root or through
# passwordless sudo; exits 1, naming them, when it cannot. Used by .ci/run and ./dev test (all
# four) and ./dev run (xmlsec1, for the demo identity provider): name some to install only those.
#
#   ops/system-packages.sh            # chromium postgresql gettext xmlsec1
#   ops/system-packages.sh xmlsec1
set -euo pipefail

present() {
  case $1 in
    chromium) [[ -x /usr/bin/chromium ]] ;;
    postgresql) compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null ;;
    gettext) command -v msgfmt >/dev/null ;;
    xmlsec1) command -v xmlsec1 >/dev/null ;;
    *) echo "system-packages.sh: unknown package $1" >&2; exit 2 ;;
  esac
}

missing=()
for name in "${@:-chromium postgresql gettext xmlsec1}"; do
  for package in $name; do present "$package" || missing+=("$package"); done
done
((${#missing[@]})) || exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=""
elif sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "Missing Debian packages: ${missing[*]} (apt-get install them as root)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "==> Installing ${missing[*]}"
# ./dev test starts its own throwaway server: the package's default cluster is not wanted.
conf=/etc/postgresql-common/createcluster.conf
if [[ ! -e $conf ]]; then
  $sudo mkdir -p "$(dirname "$conf")"
  echo "create_main_cluster = false" | $sudo tee "$conf" >/dev/null
fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" </dev/null
