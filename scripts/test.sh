#!/usr/bin/env bash
# The test command: install what is missing, build, run every test, print "N passed, N failed, N skipped".
# Under CI=true, tests whose system piece (PulseAudio, espeak-ng, a native library...) is missing fail
# instead of skipping.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || { echo "setup failed"; exit 1; }

configuration=${CONFIGURATION:-Release}
echo "== build ($configuration)"
dotnet build MeshConf.sln -c "$configuration" -nologo -clp:NoSummary || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
echo "== test"
# -m:1: one test assembly at a time. The mesh tests have real-time bounds (a full mesh in 3 s, a dead peer
# noticed in 6 s) and two cores shared by five test processes make those bounds measure the machine instead.
dotnet test MeshConf.sln -c "$configuration" --no-build -nologo -m:1 \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" \
  --blame-hang-timeout 10m "$@"
status=$?

# A test process that crashed (a native fault) leaves blame's sequence file: say which tests were running.
while IFS= read -r sequence; do
  echo "a test process crashed; tests not completed then (from $(basename "$sequence")):"
  unfinished=$(grep -o '<Test [^>]*Completed="False"[^>]*>' "$sequence" | grep -o 'Name="[^"]*"')
  [ -n "$unfinished" ] || unfinished=$(grep -o 'Name="[^"]*"' "$sequence" | tail -5)
  printf '%s\n' "$unfinished" | sed 's/^/  /'
done < <(find "$results" -name 'Sequence_*.xml' 2>/dev/null)

passed=0 failed=0 skipped=0 total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$total" -eq 0 ]; then
  echo "no tests ran"
  failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without a result file saying why (crash, hang)
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
