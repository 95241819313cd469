#!/bin/sh
# libfulcrum.so exports the C API and nothing else: every defined dynamic symbol is fulcrum_*,
# and every call the header declares is among them.
# usage: exported_symbols_test.sh LIBRARY HEADER
set -eu
library=$1 header=$2
symbols=$(nm -D --defined-only "$library" | awk '{print $NF}')
others=$(printf '%s\n' "$symbols" | grep -v '^fulcrum_' || true)
if [ -n "$others" ]; then
  echo "exported symbols that are not fulcrum_*:"
  printf '%s\n' "$others" | head -20
  exit 1
fi
# Calls implemented by other pieces of the API may be missing while they are being built; those
# that are present are the header's.
declared=$(grep -o 'fulcrum_[a-z_]*(' "$header" | tr -d '(' | sort -u)
for symbol in $symbols; do
  printf '%s\n' "$declared" | grep -qx "$symbol" || { echo "$symbol is not in the header"; exit 1; }
done
echo "$(printf '%s\n' "$symbols" | wc -l) symbols, all fulcrum_*"
