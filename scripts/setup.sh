#!/usr/bin/env bash
# Installs what MeshConf needs to build, run and test. Idempotent: installs only what is missing.
# Debian/Ubuntu: apt-get (update first, retry once). Elsewhere: prints what to install.
set -euo pipefail

# Runtime: the four native libraries and ffmpeg. Tests: a PulseAudio loopback, avahi as a third-party mDNS
# peer, network namespaces, tmux for terminal tests, sox and espeak-ng for speech samples, asciinema to replay
# recordings.
PACKAGES=(
  libenet7 libopus0 libportaudio2 libspeexdsp1 ffmpeg
  pulseaudio pulseaudio-utils libasound2-plugins
  avahi-daemon avahi-utils dbus iproute2 tmux sox espeak-ng asciinema
)
BREW_PACKAGES=(enet opus portaudio speexdsp ffmpeg sox espeak-ng tmux asciinema)

say() { printf 'setup: %s\n' "$*"; }

install_debian() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "system packages present"
    return 0
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to install: ${missing[*]}"; return 1; }
    sudo=(sudo)
  fi
  say "installing: ${missing[*]}"
  attempt() {
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  }
  # apt-get has failed once for no clear reason (dpkg: cannot access archive) and passed on a rerun.
  if ! attempt; then
    say "apt-get failed; retrying once"
    sleep 3
    attempt
  fi
}

if [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then
  install_debian
elif [ "$(uname -s)" = Darwin ]; then
  say "on macOS install with: brew install ${BREW_PACKAGES[*]}"
else
  say "install these (Debian names) with your package manager: ${PACKAGES[*]}"
fi

if ! command -v dotnet >/dev/null; then
  say "the .NET 10 SDK is missing: install it from your distribution or Microsoft's packages"
  exit 1
fi
