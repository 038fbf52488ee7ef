#!/usr/bin/env bash
# Prints the size of each file of a build folder: raw, gzip -9 and brotli -q 11, and the totals.
set -euo pipefail
dir="${1:-dist}"
[ -d "$dir" ] || { echo "error: no folder $dir (build first)" >&2; exit 1; }

printf '%-44s %10s %10s %10s\n' "file ($dir/)" "raw B" "gzip B" "brotli B"
total_raw=0 total_gz=0 total_br=0
while IFS= read -r file; do
    raw=$(wc -c <"$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    br=$(brotli -q 11 -c "$file" | wc -c)
    total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
    printf '%-44s %10d %10d %10d\n' "${file#"$dir"/}" "$raw" "$gz" "$br"
done < <(find "$dir" -type f | sort)
printf '%-44s %10d %10d %10d\n' "total" "$total_raw" "$total_gz" "$total_br"
