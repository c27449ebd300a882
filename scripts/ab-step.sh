#!/usr/bin/env bash
# A paired A/B of LeNet's CPU training step between two CLI jars in one JVM (scripts/ab-step/): blocks
# of steps alternate between the two builds, so the shared machine's drifts (+-30 % within minutes)
# hit both alike. Nothing else should run meanwhile.
#   scripts/ab-step.sh BASE_CLI_JAR NEW_CLI_JAR [BLOCKS (100)] [STEPS PER BLOCK (10)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { sed -n '2,5p' "$0" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
javac -d "$WORK/workload" -cp "$2" "$ROOT/scripts/ab-step/Workload.java"
javac -d "$WORK/harness" "$ROOT/scripts/ab-step/Harness.java"
java --add-modules jdk.incubator.vector -cp "$WORK/harness" Harness "$WORK/workload" "${3:-100}" "${4:-10}" "$1" "$2" \
  2> >(grep -v '^WARNING: Using incubator modules' >&2)
