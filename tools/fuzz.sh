#!/bin/sh
# Runs the fuzz test for longer: tools/fuzz.sh [ITERATIONS] [SEED]
# Mutated scripts run sandboxed (no output folder, sweeps listed only, a step budget).
set -e
cd "$(dirname "$0")/.."
MULL_FUZZ_ITERATIONS="${1:-20000}" MULL_FUZZ_SEED="${2:-20261125}" \
    exec swift test --filter 'MullTests.FuzzTests'
