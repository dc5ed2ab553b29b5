#!/usr/bin/env bash
# Print the path of a Python >= 3.12: python3.13, python3.12, python3, then pyenv's versions.
for cand in python3.13 python3.12 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    command -v "$cand"; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  for dir in "$(pyenv root)"/versions/3.1[2-9]*; do
    if [ -x "$dir/bin/python3" ] && "$dir/bin/python3" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
      echo "$dir/bin/python3"; exit 0
    fi
  done
fi
echo "error: no Python 3.12 or newer found (install one, e.g. 'pyenv install 3.12')" >&2
exit 1
