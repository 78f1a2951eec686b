#!/usr/bin/env bash
# Makes the video corpus in tests/corpus: camera-like clips (15 fps, 4 s) from public-domain and CC0 photographs
# that Debian's python3-skimage ships, with the faults of a real webcam added by ffmpeg filters at 640x480: hand
# shake (a moving crop), sensor noise (temporal, seeded), lighting drift, a person moving, a scene cut. Stored at
# 320x240 (a node captures at most 160x160 for an 80x40 tile, so nothing a test needs is lost, and the clips stay
# small enough to commit).
# A developer tool: the clips are committed and tests never run this. Needs apt-get (for `apt-get download`,
# nothing is installed) and ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download python3-skimage >/dev/null 2>&1) || { echo "make-corpus: apt-get download python3-skimage failed" >&2; exit 1; }
dpkg -x "$work"/python3-skimage_*.deb "$work/x"
data=$(echo "$work"/x/usr/lib/python3/dist-packages/skimage/data)

# -g 15: a keyframe a second keeps seeking cheap; crf 20 keeps the grain of the noise (it is what the codec must cope with).
encode=(-c:v libx264 -preset slow -crf 22 -g 15 -pix_fmt yuv420p -an -movflags +faststart)
clip() { # name seconds filter-graph inputs...
  local name=$1 seconds=$2 graph=$3; shift 3
  ffmpeg -hide_banner -loglevel error -nostdin -y "$@" -filter_complex "$graph;[o]scale=320:240,setsar=1[v]" -map '[v]' -t "$seconds" -r 15 "${encode[@]}" "$out/$name.mp4"
  printf '%-16s %6d bytes\n' "$name" "$(stat -c %s "$out/$name.mp4")"
}
still() { echo -loop 1 -framerate 15 -i "$data/$1"; }
shake="crop=640:480:x='40+12*sin(t*1.3)':y='60+8*cos(t*1.7)'"

# astronaut.png: Eileen Collins, NASA (public domain). coffee.png: Rachel Michetti (CC0). chelsea.png: Stefan van der Walt (CC0).
clip portrait-shake 4 "[0:v]scale=720:720,setsar=1,$shake,noise=alls=4:allf=t:all_seed=1[o]" $(still astronaut.png)
clip portrait-noisy 4 "[0:v]scale=720:720,setsar=1,$shake,noise=alls=12:allf=t:all_seed=2[o]" $(still astronaut.png)
clip portrait-drift 4 "[0:v]scale=720:720,setsar=1,crop=640:480:40:60,eq=brightness='0.06*sin(t*1.6)':contrast='1+0.08*sin(t*0.9)',noise=alls=4:allf=t:all_seed=3[o]" $(still astronaut.png)
clip person-moving 4 "[0:v]scale=800:600,setsar=1,crop=640:480:x='80+70*sin(t*1.4)':y='60+40*sin(t*0.8)',noise=alls=4:allf=t:all_seed=4[o]" $(still chelsea.png)
clip scene-cut 4 "[0:v]scale=720:720,setsar=1,$shake,noise=alls=4:allf=t:all_seed=5,trim=0:2,setpts=PTS-STARTPTS[a];[1:v]scale=800:600,setsar=1,crop=640:480:x='80+8*sin(t*1.5)':y='60+6*cos(t*1.2)',noise=alls=4:allf=t:all_seed=6,trim=0:2,setpts=PTS-STARTPTS[b];[a][b]concat=n=2:v=1[o]" $(still astronaut.png) $(still coffee.png)
clip still-noise 4 "[0:v]scale=800:600,setsar=1,crop=640:480:80:60,noise=alls=4:allf=t:all_seed=7[o]" $(still coffee.png)
