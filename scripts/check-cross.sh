#!/usr/bin/env bash
# `make dist-cross`'s check of the `cem` binaries it built: each runs the same commands on the bundled sample
# (examples/survey.csv, examples/margins.csv), and its standard output, standard error and exit status must
# be byte for byte those of this machine's `cem` (glibc, the reference: its own tests pass):
#   dist/cem-x86_64-linux-musl   natively;
#   dist/cem.exe                 under wine (Rust writes "\n", not "\r\n", on Windows too: nothing is normalised).
# The one exception allowed, and printed: a number that differs in its last bits only (scripts/ulps.py).
# Then what the two wheels link to (below). Usage: scripts/check-cross.sh GLIBC_CEM (the artifacts are taken
# from dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
REF=$(realpath "$1")
export WINEPREFIX=${CEM_CACHE:-$HOME/.cache/cem}/wine WINEDEBUG=-all
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp examples/survey.csv examples/margins.csv "$TMP/"

# Statically linked: no interpreter, no shared library.
for bin in dist/cem-x86_64-linux-musl; do
  file -b "$bin" | grep -q 'statically linked' || { echo "$bin: not static: $(file -b "$bin")"; exit 1; }
done
# cem.exe needs nothing beyond Windows' own DLLs (no MinGW runtime to ship beside it).
dlls=$(x86_64-w64-mingw32-objdump -p dist/cem.exe | sed -n 's/^\tDLL Name: //p' | tr 'A-Z' 'a-z' | sort | tr '\n' ' ')
echo "cem.exe imports: $dlls"
for dll in $dlls; do
  case $dll in
    kernel32.dll|ntdll.dll|msvcrt.dll|bcrypt.dll|bcryptprimitives.dll|advapi32.dll|userenv.dll|ws2_32.dll|api-ms-win-*) ;;
    *) echo "cem.exe imports $dll, which Windows does not provide"; exit 1 ;;
  esac
done

# Every kind of output: tables, JSON and CSV; segments, trends, weights, raking, the bootstrap and the
# permutations (seeded), text, and an error (its message and exit status).
commands=(
  "nps survey.csv --answer nps"
  "nps survey.csv --answer nps --segment region"
  "nps survey.csv --answer nps --segment region --format json"
  "nps survey.csv --answer nps --trend date --every quarter --segment region"
  "nps survey.csv --answer nps --trend date --every month --format csv"
  "csat survey.csv --answer csat --segment channel --weight weight --missing skip"
  "ces survey.csv --answer ces --segment touchpoint --format json"
  "classify survey.csv --answer nps"
  "drivers survey.csv --outcome nps --drivers ease,speed,price,agent --scale 1..5 --missing skip"
  "drivers survey.csv --outcome nps --drivers ease,speed,price,agent --scale 1..5 --missing skip --resamples 200 --format json"
  "discover survey.csv --answer nps --attributes region,channel,touchpoint --depth 3 --show productive --limit 10"
  "discover survey.csv --answer nps --attributes region,channel,touchpoint --permutations 200 --format json"
  "keyness survey.csv --text comment --answer nps --limit 15"
  "keyness survey.csv --text comment --segment region --target East --statistic weighted_log_odds --format csv"
  "rake survey.csv --margins margins.csv"
  "nps survey.csv --answer nps --margins margins.csv --format json"
  "nps survey.csv --answer no_such_column"
)

run() { # name binary args... → $TMP/name.{out,err,status}
  local name=$1 bin=$2
  shift 2
  local status=0
  case $bin in
    *.exe) (cd "$TMP" && /usr/lib/wine/wine64 "$bin" "$@" >"$name.out" 2>"$name.err") || status=$? ;;
    *) (cd "$TMP" && "$bin" "$@" >"$name.out" 2>"$name.err") || status=$? ;;
  esac
  echo "$status" > "$TMP/$name.status"
}

failed=0
for bin in dist/cem-x86_64-linux-musl dist/cem.exe; do
  bin=$(realpath "$bin")
  same=0 ulp=
  for i in "${!commands[@]}"; do
    read -ra args <<< "${commands[$i]}"
    run "ref$i" "$REF" "${args[@]}"
    run "got$i" "$bin" "${args[@]}"
    [ -s "$TMP/ref$i.out" ] || [ "$(cat "$TMP/ref$i.status")" != 0 ] || { echo "cem ${commands[$i]}: no output"; exit 1; }
    for part in out err status; do
      cmp -s "$TMP/ref$i.$part" "$TMP/got$i.$part" && continue
      # The one known difference: a number's last bit where the platform's C library computes it (Windows'
      # msvcrt `exp` under statrs' erfc: keyness p-values). Accepted, and listed, only when everything else
      # is identical and every such number is within 4 units in the last place.
      if [ "$part" = out ] && python3 scripts/ulps.py "$TMP/ref$i.out" "$TMP/got$i.out" 4; then
        echo "  $(basename "$bin"): cem ${commands[$i]}: the numbers above differ in the last bits only"
        ulp=$((ulp + 1))
        continue 2
      fi
      echo "$(basename "$bin"): cem ${commands[$i]}: $part differs from the glibc cem's:"
      diff "$TMP/ref$i.$part" "$TMP/got$i.$part" | head -5 || true
      failed=1
      continue 2
    done
    same=$((same + 1))
  done
  echo "$(basename "$bin"): ${same} of ${#commands[@]} commands byte for byte as the glibc cem (stdout, stderr, exit status)${ulp:+, $ulp within 4 ulp}"
done

# The wheels cannot be installed here (no musl or Windows Python): what can be checked is what they link to.
# musllinux: auditwheel cannot judge it on a glibc machine (it applies the manylinux policies to the host's
# libc), so musl's own loader (Debian's `musl`, 1.2.3 as musllinux_1_2 requires ≥ 1.2; unpacked into the cache by
# setup-cross.sh) resolves the module:
# libc must be musl's, and every symbol left unresolved must be Python's, which the interpreter provides.
wheel=$(ls dist/cemscore-*-musllinux_1_2_x86_64.whl)
mkdir "$TMP/musl" && (cd "$TMP/musl" && python3 -m zipfile -e "$OLDPWD/$wheel" .)
loader=${CEM_CACHE:-$HOME/.cache/cem}/musl/lib/x86_64-linux-musl/libc.so
"$loader" --list "$TMP"/musl/cemscore/_cemscore.abi3.so > "$TMP/musl.txt" 2>&1 || true
grep -q "libc.so => $loader" "$TMP/musl.txt" || { cat "$TMP/musl.txt"; exit 1; }
if grep 'symbol not found' "$TMP/musl.txt" | grep -v -E ': _?Py[A-Za-z0-9_]*: symbol not found$'; then
  echo "$wheel: the symbols above are neither musl's nor Python's"; exit 1
fi
echo "$(basename "$wheel"): links musl's libc only; $(grep -c 'symbol not found' "$TMP/musl.txt") symbols left to Python, none else"
# win_amd64: the module imports python3.dll (the stable ABI: any CPython ≥ 3.9) and Windows' own DLLs only.
wheel=$(ls dist/cemscore-*-win_amd64.whl)
mkdir "$TMP/win" && (cd "$TMP/win" && python3 -m zipfile -e "$OLDPWD/$wheel" .)
dlls=$(x86_64-w64-mingw32-objdump -p "$TMP"/win/cemscore/_cemscore.pyd | sed -n 's/^\tDLL Name: //p' | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' ')
for dll in $dlls; do
  case $dll in
    python3.dll|kernel32.dll|ntdll.dll|msvcrt.dll|bcryptprimitives.dll|userenv.dll|ws2_32.dll|api-ms-win-*) ;;
    *) echo "$wheel imports $dll"; exit 1 ;;
  esac
done
case " $dlls" in *" python3.dll "*) ;; *) echo "$wheel does not import python3.dll"; exit 1 ;; esac
echo "$(basename "$wheel"): imports $dlls"
exit $failed
