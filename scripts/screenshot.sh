#!/usr/bin/env bash
# Makes docs/screenshot.png from a real run: scripts/demo.sh (a three-person call on 127.0.0.1, mDNS off) in a
# detached tmux of a fixed size on a private socket, captured with its colours once all three tiles show
# pictures, then drawn by scripts/ansi2png.py (an HTML page of cells, photographed by headless Chromium and
# checked pixel by pixel). Run it again whenever the call screen changes. A developer tool, not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: scripts/screenshot.sh [--out FILE] [--size COLSxROWS] [--color MODE] [--video SOURCE] [--demo-arg ARG]...
                             [--key KEY]... [--type TEXT]... [--settle SECONDS] [--keep-ansi FILE]
                             [--from-ansi FILE] [--timeout SECONDS]

  --out FILE          the PNG to write (default docs/screenshot.png)
  --size COLSxROWS    the terminal's size in cells (default 120x36)
  --color MODE        the colours you draw with (default truecolor; 256, 16, mono)
  --video SOURCE      what alice and bob send (default pattern; file:tests/corpus/portrait-shake.mp4 for a
                      camera-like picture)
  --demo-arg ARG      one more argument for scripts/demo.sh (repeatable)
  --key KEY           once the pictures show, press KEY (a tmux key name: s, ?, Enter, Escape, Up, C-l ...);
                      repeatable, pressed in order with --type
  --type TEXT         once the pictures show, type TEXT literally; repeatable
  --settle SECONDS    wait this long once the pictures show, and again after the keys (default 10: the join
                      notices, shown for 8 s, are gone, so screenshots made again look alike)
  --keep-ansi FILE    also keep the capture (text with its escape sequences) in FILE
  --from-ansi FILE    no call: draw FILE, a capture kept earlier with --keep-ansi (give the same --size)
  --timeout SECONDS   how long the build and the start of the call may take (default 600)

Needs tmux and python3 (scripts/setup.sh installs tmux) and Chromium: on Debian the package 'chromium' is
installed when missing; elsewhere install Chromium or Google Chrome, or set CHROMIUM=/path/to/it.
EOF
}

say() { printf 'screenshot: %s\n' "$*"; }
fail() { printf 'screenshot: %s\n' "$*" >&2; exit 1; }

out=docs/screenshot.png
size=120x36
color=truecolor
video=pattern
demo_args=()
settle=10
timeout=600
keep_ansi=""
from_ansi=""
actions=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a file}; shift 2 ;;
    --size) size=${2:?--size needs COLSxROWS}; shift 2 ;;
    --color) color=${2:?--color needs a mode}; shift 2 ;;
    --video) video=${2:?--video needs a source}; shift 2 ;;
    --demo-arg) demo_args+=("${2?--demo-arg needs an argument}"); shift 2 ;;
    --key) actions+=("key:${2:?--key needs a key name}"); shift 2 ;;
    --type) actions+=("type:${2?--type needs text}"); shift 2 ;;
    --settle) settle=${2:?--settle needs seconds}; shift 2 ;;
    --keep-ansi) keep_ansi=${2:?--keep-ansi needs a file}; shift 2 ;;
    --from-ansi) from_ansi=${2:?--from-ansi needs a file}; shift 2 ;;
    --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "screenshot: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$size" =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "screenshot: --size wants COLSxROWS, not '$size'" >&2; exit 2; }
cols=${BASH_REMATCH[1]}
rows=${BASH_REMATCH[2]}
[[ "$settle" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "screenshot: --settle wants seconds, not '$settle'" >&2; exit 2; }
[[ "$timeout" =~ ^[0-9]+$ ]] || { echo "screenshot: --timeout wants whole seconds, not '$timeout'" >&2; exit 2; }
[ -z "$from_ansi" ] || [ -f "$from_ansi" ] || fail "no capture at '$from_ansi'"

# Chromium draws the PNG. Looked for (and installed) before the call, so a missing one costs no build.
chromium=${CHROMIUM:-}
find_chromium() {
  local name
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$name" && return 0
  done
  return 1
}
if [ -z "$chromium" ] && ! chromium=$(find_chromium); then
  if [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null || fail "Chromium is needed to draw the PNG: install the package 'chromium' (as root)"
      sudo=(sudo)
    fi
    say "Chromium draws the PNG and is missing: installing the Debian package 'chromium' (for this tool only;"
    say "MeshConf does not need it to build, test or run)"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
    chromium=$(find_chromium) || fail "Chromium was installed but is not on PATH"
  else
    fail "Chromium is needed to draw the PNG: install Chromium or Google Chrome, or set CHROMIUM=/path/to/it"
  fi
fi
command -v python3 >/dev/null || fail "python3 is needed (scripts/ansi2png.py)"

draw() {
  mkdir -p "$(dirname "$out")"
  python3 scripts/ansi2png.py "$1" "$out" --cols "$cols" --rows "$rows" --chromium "$chromium"
}

if [ -n "$from_ansi" ]; then
  draw "$from_ansi"
  exit 0
fi

command -v tmux >/dev/null || scripts/setup.sh
command -v tmux >/dev/null || fail "tmux is needed (scripts/setup.sh did not install it)"

work=$(mktemp -d "${TMPDIR:-/tmp}/meshconf-screenshot-XXXXXX")
# A tmux server of our own: its socket in our directory, no user configuration, so no other tmux is touched.
tmx() { tmux -S "$work/tmux.socket" -f /dev/null "$@"; }
server_pid=""
pane_pid=""

# True while process $1 runs. A zombie counts as gone: tmux has been seen to leave its pane's ended process
# unreaped for a while; it is reaped when the server goes.
running() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ "$state" != Z* ]]
}

# Waits up to $1 seconds for process $2 to be gone.
wait_gone() {
  local deadline=$((SECONDS + $1))
  while running "$2"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Ends the call as demo.sh's own clean-up does: SIGTERM to each participant it started (they leave the call),
# then demo.sh ends by itself. Harder only for what is still there after that, and always by pid. Then the
# tmux server goes. Safe to call twice.
stop_call() {
  if [ -n "$pane_pid" ] && running "$pane_pid"; then
    local children
    children=$(pgrep -P "$pane_pid" || true)
    # shellcheck disable=SC2086 # one pid a word
    [ -z "$children" ] || kill -TERM $children 2>/dev/null || true
    if ! wait_gone 20 "$pane_pid"; then
      say "demo.sh did not end after its participants were stopped; stopping it"
      kill -TERM "$pane_pid" 2>/dev/null || true
      # shellcheck disable=SC2086
      wait_gone 10 "$pane_pid" || kill -KILL "$pane_pid" $children 2>/dev/null || true
    fi
  fi
  if [ -n "$server_pid" ]; then
    tmx kill-server 2>/dev/null || true
    wait_gone 10 "$server_pid" || kill -KILL "$server_pid" 2>/dev/null || true
  fi
  pane_pid=""
  server_pid=""
}
trap 'stop_call; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# True when the screen (plain text, $1) is the call screen with all three tiles showing pictures: the status
# line counts two peers, and under each name label there is something drawn.
tiles_shown() {
  python3 - "$1" <<'EOF'
import sys

screen = sys.argv[1].split("\n")
status = [line for line in screen if "q: leave" in line]
if not status or "| 2 peers |" not in status[0] or any("connecting" in line for line in screen):
    sys.exit(1)
for name in ("alice", "bob", "carol (you)"):
    row = next((i for i, line in enumerate(screen) if name in line and "q: leave" not in line), None)
    if row is None:
        sys.exit(1)
    col = screen[row].index(name)
    below = [line[max(0, col - 6):col + len(name) + 6] for line in screen[row + 1:row + 7]]
    if not any(part.strip() for part in below):
        sys.exit(1)
EOF
}

# The demo runs until it is stopped below; its own --duration only ends it should this script be killed.
call_seconds=$(python3 -c "import sys; print(int(120 + 2 * float(sys.argv[1]) + 5 * int(sys.argv[2])))" "$settle" "${#actions[@]}")
say "running scripts/demo.sh in a ${cols}x${rows} terminal (tmux); it builds first"
tmx new-session -d -s shot -x "$cols" -y "$rows" cat
server_pid=$(tmx display-message -p '#{pid}')
tmx set-option -g status off
tmx set-option -g remain-on-exit on
tmx set-option -g window-size manual
tmx respawn-pane -k -t shot -c "$PWD" -e COLORTERM=truecolor -e DOTNET_NOLOGO=1 \
  "exec $(printf '%q ' "$PWD/scripts/demo.sh" --duration "$call_seconds" --color "$color" --video "$video" ${demo_args[@]+"${demo_args[@]}"})"
pane_pid=$(tmx display-message -p -t shot '#{pane_pid}')

deadline=$((SECONDS + timeout))
until tiles_shown "$(tmx capture-pane -p -t shot)"; do
  if [ "$(tmx display-message -p -t shot '#{pane_dead}')" = 1 ]; then
    tmx capture-pane -p -t shot | grep -v '^$' | tail -n 20 >&2
    fail "the demo ended before its call screen showed three pictures (its last lines are above)"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    tmx capture-pane -p -t shot >&2
    fail "no call screen with three pictures after ${timeout} s (the screen is above)"
  fi
  sleep 0.5
done
say "three pictures show; waiting ${settle} s"
sleep "$settle"

if [ ${#actions[@]} -gt 0 ]; then
  for action in "${actions[@]}"; do
    case "$action" in
      key:*) say "pressing ${action#key:}"; tmx send-keys -t shot "${action#key:}" ;;
      type:*) say "typing '${action#type:}'"; tmx send-keys -t shot -l "${action#type:}" ;;
    esac
    sleep 0.3
  done
  sleep "$settle"
fi

tmx capture-pane -e -N -p -t shot > "$work/screen.ans"
[ "$(tmx display-message -p -t shot '#{pane_dead}')" = 0 ] || fail "the demo ended before the capture"
if [ ${#actions[@]} -eq 0 ]; then
  # The capture itself (not a look just before it) must be the call screen with its three pictures.
  tiles_shown "$(sed 's/\x1b\[[0-9;:]*m//g' "$work/screen.ans")" || fail "the capture is not the call screen with three pictures"
fi
[ -z "$keep_ansi" ] || cp "$work/screen.ans" "$keep_ansi"

stop_call
say "call stopped; drawing $out"
draw "$work/screen.ans"
