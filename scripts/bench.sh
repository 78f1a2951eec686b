#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks (Release). Extra arguments go to BenchmarkDotNet, e.g. --filter '*Opus*'.
# Default: every benchmark with a short job, so a run takes a few minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ $# -eq 0 ]; then
  set -- --filter '*' --job short
fi
dotnet run -c Release --project tests/MeshConf.Benchmarks -- "$@"
