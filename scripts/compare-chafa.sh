#!/usr/bin/env bash
# Our cell pictures against chafa's on the committed corpus: one markdown table of mode, luma SSIM ours vs chafa
# and CPU microseconds per frame ours vs chafa (tests/MeshConf.Benchmarks, "fidelity" mode; see its
# FidelityComparison.cs for what is measured and how). Needs ffmpeg and chafa (apt install chafa).
# Extra arguments go to the fidelity mode: --clips portrait-shake,scene-cut  --frames 12  --runs 2  --modes Mono,GlyphColor
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chafa >/dev/null; then
  echo "compare-chafa: chafa is not installed (apt install chafa); nothing to compare against" >&2
  exit 2
fi
command -v ffmpeg >/dev/null || { echo "compare-chafa: ffmpeg is not installed (apt install ffmpeg)" >&2; exit 2; }
dotnet build tests/MeshConf.Benchmarks -c Release --nologo -v quiet >/dev/null
exec dotnet tests/MeshConf.Benchmarks/bin/Release/net10.0/MeshConf.Benchmarks.dll fidelity "$@"
