#!/usr/bin/env bash
# The end-to-end call benchmark: N headless nodes in one session on 127.0.0.1 (mDNS off, ports picked by the
# system), each measured from outside (/proc: CPU over the measured window, RSS, threads) and from its own stats
# lines (video fps and latency from every peer, the audio latency of its mix). Prints one table and stops every
# node it started, by pid. A developer tool: no test asserts its figures (a loaded machine would fail them).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
usage: scripts/bench-call.sh [N] [--media none|audio|video|av] [--video SOURCE] [--warmup SECONDS]
                             [--measure SECONDS] [--tile COLSxROWS] [--color MODE] [--no-build] [--keep DIR]

  N                   nodes in the call (default 4; 1 is a node alone, idle)
  --media KIND        what each node sends: none, audio (a test tone), video, or av (default: both)
  --video SOURCE      the video each node sends (default pattern; e.g. file:tests/corpus/portrait-shake.mp4)
  --warmup SECONDS    from the whole mesh being up to the start of the measurement (default 10)
  --measure SECONDS   the measured window (default 10)
  --tile COLSxROWS    the picture size each node asks its peers for (default 80x40)
  --color MODE        the colour mode each node asks for (default truecolor)
  --no-build          use the build that is there
  --keep DIR          keep each node's JSON lines and stderr in DIR

Columns: CPU is the share of one core the node used in the window (user + system, from /proc/PID/stat);
fps in is the slowest stream the node received (its mean over the window); video p99 the worst of its peers' 99th-percentile frame
latency (capture to decoded); audio p50 the node's own mix latency (capture at the sender to playout).
EOF
}

nodes=4
media=av
video=pattern
warmup=10
measure=10
tile=80x40
color=truecolor
build=1
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --media) media=${2:?--media needs none, audio, video or av}; shift 2 ;;
    --video) video=${2:?--video needs a source}; shift 2 ;;
    --warmup) warmup=${2:?--warmup needs seconds}; shift 2 ;;
    --measure) measure=${2:?--measure needs seconds}; shift 2 ;;
    --tile) tile=${2:?--tile needs COLSxROWS}; shift 2 ;;
    --color) color=${2:?--color needs a mode}; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=${2:?--keep needs a directory}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    [0-9]*) nodes=$1; shift ;;
    *) echo "bench-call: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 1 ] && [ "$nodes" -le 16 ] || { echo "bench-call: N is 1 to 16, not '$nodes'" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ && "$measure" =~ ^[0-9]+$ && "$measure" -ge 1 ]] || { echo "bench-call: --warmup and --measure want whole seconds" >&2; exit 2; }
case "$media" in
  none) send=(--video none --audio none) ;;
  audio) send=(--video none --audio tone:440) ;;
  video) send=(--video "$video" --audio none) ;;
  av) send=(--video "$video" --audio tone:440) ;;
  *) echo "bench-call: --media is none, audio, video or av, not '$media'" >&2; exit 2 ;;
esac

dll=src/MeshConf.Cli/bin/Release/net10.0/meshconf.dll
if [ "$build" = 1 ]; then
  scripts/setup.sh > /dev/null
  echo "bench-call: building" >&2
  dotnet build src/MeshConf.Cli -c Release -nologo -v q > "${TMPDIR:-/tmp}/meshconf-bench-call-build.log" 2>&1 \
    || { grep -E 'error' "${TMPDIR:-/tmp}/meshconf-bench-call-build.log" | head -20 >&2; echo "bench-call: the build failed" >&2; exit 1; }
fi
[ -f "$dll" ] || { echo "bench-call: no build at $dll (run without --no-build)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/meshconf-bench-call-XXXXXX")
logs=${keep:-$work}
mkdir -p "$logs"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_node() {
  local i=$1
  shift
  MESHCONF_CONFIG_DIR="$work/n$i" DOTNET_NOLOGO=1 dotnet "$dll" join bench --name "n$i" --headless --port 0 \
    --bind 127.0.0.1 --no-mdns --tile "$tile" --color "$color" --audio-out none "${send[@]}" "$@" \
    > "$logs/n$i.log" 2> "$logs/n$i.err" < /dev/null &
  pids+=($!)
}

port_of() {
  local port="" _
  for _ in $(seq 1 600); do
    port=$(sed -n 's/.*"event":"ready".*"port":\([0-9]*\).*/\1/p' "$logs/n1.log" | head -1)
    [ -n "$port" ] && { echo "$port"; return 0; }
    kill -0 "${pids[0]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench-call: the first node did not start: $(tail -n 3 "$logs/n1.err")" >&2
  return 1
}

echo "bench-call: starting $nodes node(s), media $media" >&2
start_node 1
first=$(port_of)
for i in $(seq 2 "$nodes"); do
  start_node "$i" --peer "127.0.0.1:$first"
done

# The mesh is up when every node's latest stats line lists N - 1 peers.
peers_of() { grep '"event":"stats"' "$1" 2>/dev/null | tail -1 | grep -o '"id":"[0-9a-f]*"' | wc -l; }
deadline=$((SECONDS + 120))
for i in $(seq 1 "$nodes"); do
  while [ "$(peers_of "$logs/n$i.log")" -lt $((nodes - 1)) ]; do
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "bench-call: node n$i ended: $(tail -n 3 "$logs/n$i.err")" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "bench-call: node n$i sees $(peers_of "$logs/n$i.log") of $((nodes - 1)) peers after 120 s" >&2; exit 1; }
    sleep 0.2
  done
done
echo "bench-call: mesh up; warming up ${warmup} s, measuring ${measure} s" >&2
sleep "$warmup"

# CPU ticks (utime + stime) of every node, and the wall clock, at both ends of the window.
ticks() { local pid; for pid in "${pids[@]}"; do awk '{ print $14 + $15 }' "/proc/$pid/stat"; done | paste -sd' '; }
before=$(ticks)
t0=$(date +%s.%N)
sleep "$measure"
after=$(ticks)
t1=$(date +%s.%N)
for i in $(seq 1 "$nodes"); do
  pid=${pids[$((i - 1))]}
  printf '%s %s %s\n' "n$i" "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")" "$(awk '/^Threads/ { print $2 }' "/proc/$pid/status")"
done > "$work/proc.txt"

python3 - "$logs" "$work/proc.txt" "$before" "$after" "$t0" "$t1" "$(getconf CLK_TCK)" "$nodes" "$media" <<'EOF'
import json, statistics, sys

logs, proc, before, after, t0, t1, hz, nodes, media = sys.argv[1:10]
before, after = [int(x) for x in before.split()], [int(x) for x in after.split()]
seconds, hz, nodes = float(t1) - float(t0), int(hz), int(nodes)

def window_stats(name, count):
    """The node's last `count` stats lines (one a second: the measured window)."""
    lines = []
    with open(f"{logs}/{name}.log") as f:
        for line in f:
            if '"event":"stats"' in line:
                lines.append(json.loads(line))
    return lines[-count:]

def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"

rows = []
for i, line in enumerate(open(proc)):
    name, rss_kb, threads = line.split()
    window = window_stats(name, max(1, int(seconds)))
    last = window[-1] if window else {"peers": [], "node": {}}
    peers = last.get("peers", [])
    fps, p99 = [], []
    if media in ("video", "av"):
        # Per peer: its mean fps over the window, and its worst p99; the row shows the slowest and the worst.
        for peer in peers:
            seen = [p for s in window for p in s.get("peers", []) if p["id"] == peer["id"]]
            rates = [p["video_fps_in"] for p in seen if "video_fps_in" in p]
            if rates:
                fps.append(sum(rates) / len(rates))
            p99 += [p["video_latency_ms_p99"] for p in seen if p.get("video_latency_ms_p99") is not None]
    audio = last.get("node", {}).get("audio_latency_ms_p50") if media in ("audio", "av") else None
    rows.append({
        "node": name,
        "cpu": 100.0 * (after[i] - before[i]) / hz / seconds,
        "rss": int(rss_kb) / 1024,
        "threads": int(threads),
        "peers": len(peers),
        "fps": min(fps) if fps else None,
        "p99": max(p99) if p99 else None,
        "audio": audio,
    })

print(f"{nodes} node(s), media {media}, {seconds:.1f} s measured")
print()
print("| node | CPU % of a core | RSS MB | threads | peers | video fps in (min) | video p99 ms (max) | audio p50 ms |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['node']} | {r['cpu']:.1f} | {r['rss']:.0f} | {r['threads']} | {r['peers']} | {fmt(r['fps'])} | {fmt(r['p99'])} | {fmt(r['audio'])} |")

def med(key):
    values = [r[key] for r in rows if r[key] is not None]
    return statistics.median(values) if values else None

print(f"| median | {med('cpu'):.1f} | {med('rss'):.0f} | {med('threads'):.0f} | | {fmt(med('fps'))} | {fmt(med('p99'))} | {fmt(med('audio'))} |")
print(f"| sum | {sum(r['cpu'] for r in rows):.1f} | {sum(r['rss'] for r in rows):.0f} | | | | | |")
EOF
