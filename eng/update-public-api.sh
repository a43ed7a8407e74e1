#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every library under src/ from its code, with PublicApiAnalyzers' own code fix
# (RS0016). Run it after a deliberate public API change, and after a rebase that conflicts in PublicAPI.Unshipped.txt
# (keep either side, then run this): the file is rebuilt from scratch, so stale and conflicting lines cannot survive.
# Then review `git diff -- '*PublicAPI*.txt'`: that diff is the API change.
#
# Usage: eng/update-public-api.sh [src/Project/Project.csproj ...]   (default: every src/* project with PublicAPI files)
set -euo pipefail
cd "$(dirname "$0")/.."

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for shipped in src/*/PublicAPI.Shipped.txt; do
    projects+=("$(ls "$(dirname "$shipped")"/*.csproj)")
  done
fi

for proj in "${projects[@]}"; do
  dir=$(dirname "$proj")
  unshipped="$dir/PublicAPI.Unshipped.txt"
  echo "== $proj"
  # Start from an empty Unshipped file; anything public and not in Shipped is then reported as RS0016 and added back.
  printf '#nullable enable\n' > "$unshipped"
  dotnet restore "$proj" --verbosity quiet
  # The fix-all may leave symbols whose declarations depend on each other; a second pass picks them up.
  for pass in 1 2; do
    dotnet format analyzers "$proj" --no-restore --diagnostics RS0016 --severity warn --verbosity quiet || true
  done
  # Sorted, one entry per line, so rebases merge cleanly and diffs are readable.
  { head -n 1 "$unshipped"; tail -n +2 "$unshipped" | grep -v '^[[:space:]]*$' | LC_ALL=C sort -u; } > "$unshipped.tmp"
  mv "$unshipped.tmp" "$unshipped"
  echo "   $(($(wc -l < "$unshipped") - 1)) entries in $unshipped"
done

# Fail loudly if the analyzer still sees undeclared or stale API (for example a removed API listed in Shipped).
for proj in "${projects[@]}"; do
  if ! dotnet build "$proj" -c Release --no-restore -warnaserror:RS0016,RS0017 -p:TreatWarningsAsErrors=false --verbosity quiet -nologo > /tmp/update-public-api.$$.log 2>&1; then
    grep -E 'RS00(16|17)|error' /tmp/update-public-api.$$.log | sort -u | head -20 >&2
    echo "$proj still has public API problems (above); fix them or edit the PublicAPI files by hand." >&2
    rm -f /tmp/update-public-api.$$.log
    exit 1
  fi
done
rm -f /tmp/update-public-api.$$.log
echo "Public API files are up to date; commit them with your change."
