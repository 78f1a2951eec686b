#!/usr/bin/env bash
# A three-person MeshConf call on this machine, needing no camera, microphone, sound card or network: alice and
# bob run in the background with moving test pictures and test tones, and you join them in this terminal as carol.
# Everything stays on 127.0.0.1 with mDNS off. Press q to leave; the others are stopped with you.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: scripts/demo.sh [--duration SECONDS] [--sound] [--color MODE] [--video SOURCE] [--record FILE.cast]
                      [--logs DIR]

  --duration SECONDS  end the call by itself after this long (for unattended runs)
  --sound             play the call's mix (two test tones) on your speakers
  --color MODE        auto (default), truecolor, 256, 16 or mono
  --video SOURCE      what alice and bob send: pattern (default, moving test pictures) or file:CLIP (looped),
                      e.g. file:tests/corpus/portrait-shake.mp4 for a camera-like picture
  --record FILE.cast  record your screen (asciicast v2; replay with asciinema play FILE.cast)
  --logs DIR          keep alice's and bob's JSON lines (DIR/alice.log, DIR/bob.log)

In the call: ? shows the keys (m mute, v camera, c colours, l layout, s stats, Enter chat, q leave).
EOF
}

duration=""
audio_out="none"
color="auto"
video="pattern"
record=()
logs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?--duration needs seconds}; shift 2 ;;
    --duration=*) duration=${1#*=}; shift ;;
    --sound) audio_out="device"; shift ;;
    --color) color=${2:?--color needs a mode}; shift 2 ;;
    --color=*) color=${1#*=}; shift ;;
    --video) video=${2:?--video needs a source}; shift 2 ;;
    --video=*) video=${1#*=}; shift ;;
    --record) record=(--record "${2:?--record needs a file}"); shift 2 ;;
    --logs) logs=${2:?--logs needs a directory}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -n "$duration" ] && ! [[ "$duration" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "demo: --duration wants a number of seconds, not '$duration'" >&2
  exit 2
fi

scripts/setup.sh
echo "demo: building"
if ! dotnet build src/MeshConf.Cli -c Release -nologo > "${TMPDIR:-/tmp}/meshconf-demo-build.log" 2>&1; then
  grep -E 'error|Error' "${TMPDIR:-/tmp}/meshconf-demo-build.log" | head -20 >&2
  echo "demo: the build failed (full log: ${TMPDIR:-/tmp}/meshconf-demo-build.log)" >&2
  exit 1
fi
dll=src/MeshConf.Cli/bin/Release/net10.0/meshconf.dll

work=$(mktemp -d)
logs=${logs:-$work}
mkdir -p "$logs"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

limit=()
[ -n "$duration" ] && limit=(--duration "$duration")
common=(--bind 127.0.0.1 --no-mdns)

# Starts a background participant; its JSON lines go to a log. Prints nothing.
participant() {
  local name=$1 tone=$2
  shift 2
  MESHCONF_CONFIG_DIR="$work/$name" DOTNET_NOLOGO=1 \
    dotnet "$dll" join demo --name "$name" --headless --port 0 "${common[@]}" --audio "tone:$tone" --audio-out none --video "$video" "${limit[@]}" "$@" \
    > "$logs/$name.log" 2> "$work/$name.err" < /dev/null &
  pids+=($!)
}

# The port a participant listens on, from its "ready" line.
port_of() {
  local name=$1 port="" i
  for i in $(seq 1 300); do
    port=$(sed -n 's/.*"event":"ready".*"port":\([0-9]*\).*/\1/p' "$logs/$name.log" | head -1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    if ! kill -0 "${pids[-1]}" 2>/dev/null && [ -z "$port" ]; then break; fi
    sleep 0.1
  done
  echo "demo: $name did not start: $(tail -n 3 "$work/$name.err" "$logs/$name.log" 2>/dev/null)" >&2
  return 1
}

participant alice 440
alice_port=$(port_of alice)
participant bob 660,880 --peer "127.0.0.1:$alice_port"

you=(join demo --name carol --port 0 "${common[@]}" --video pattern --audio tone:523 --audio-out "$audio_out" --color "$color"
  --peer "127.0.0.1:$alice_port" "${limit[@]}" "${record[@]}")
status=0
if [ -t 0 ] && [ -t 1 ]; then
  echo "demo: alice and bob are in session 'demo'; joining them (q to leave)"
  MESHCONF_CONFIG_DIR="$work/you" DOTNET_NOLOGO=1 dotnet "$dll" "${you[@]}" || status=$?
else
  # Not a terminal (a CI log, a pipe): the third participant prints plain lines instead of the call screen.
  [ -n "$duration" ] || { echo "demo: not a terminal: give --duration, or run it in a terminal" >&2; exit 2; }
  MESHCONF_CONFIG_DIR="$work/you" DOTNET_NOLOGO=1 dotnet "$dll" "${you[@]}" < /dev/null || status=$?
fi
echo "demo: call over"
exit "$status"
