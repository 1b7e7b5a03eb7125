# Sourced by tools/bench.sh and tools/test.sh: installs what is missing, puts
# the project venv's tools on PATH and configures the release preset.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/bootstrap.sh
export PATH="$root/.venv/bin:$PATH"
cmake --preset release >/dev/null
