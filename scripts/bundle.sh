#!/usr/bin/env bash
# lstranslate for a machine without .NET, such as a GPU host that has PyTorch: the published command line without
# libtorch (it runs on the host's, named by LSTRANSLATE_LIBTORCH or --libtorch), this machine's .NET runtime and
# ASP.NET Core beside it, and a launcher that points the program at that runtime.
# Usage: scripts/bundle.sh OUT.tar.gz
# On the host: tar xzf OUT.tar.gz && LSTRANSLATE_LIBTORCH=/path/to/site-packages/torch/lib lstranslate/lstranslate train ...
set -euo pipefail
limit_mib=55
if [[ $# -ne 1 ]]; then echo "usage: $0 OUT.tar.gz" >&2; exit 2; fi
out="$(realpath -m "$1")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v dotnet >/dev/null || { echo "bundle: needs the .NET 10 SDK (dotnet on PATH) to publish" >&2; exit 1; }
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
newest() { dotnet --list-runtimes | awk -v name="$1" '$1 == name && $2 ~ /^10\./ { v = $2 } END { print v }'; }
core="$(newest Microsoft.NETCore.App)"; aspnet="$(newest Microsoft.AspNetCore.App)"
[[ -n "$core" && -n "$aspnet" ]] || { echo "bundle: this machine has no .NET 10 runtime and ASP.NET Core 10 to pack" >&2; exit 1; }

stage="$(mktemp -d)"; trap 'rm -rf "$stage"' EXIT
bundle="$stage/lstranslate"
echo "bundle: publishing lstranslate without libtorch (TorchBackend=external)" >&2
dotnet publish "$root/src/LsTranslate.Cli" -c Release -p:TorchBackend=external -r linux-x64 --self-contained false \
  -o "$bundle/app" -nologo -v quiet >&2
if find "$bundle/app" -name 'libtorch*.so' | grep -q .; then echo "bundle: the published program carries a libtorch" >&2; exit 1; fi

echo "bundle: adding .NET $core and ASP.NET Core $aspnet from $dotnet_root" >&2
mkdir -p "$bundle/dotnet/shared" "$bundle/dotnet/host"
cp -r "$dotnet_root/host/fxr" "$bundle/dotnet/host/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$bundle/dotnet/shared/"
find "$bundle/dotnet/shared" -mindepth 2 -maxdepth 2 -type d ! -name "$core" ! -name "$aspnet" -exec rm -rf {} +
cp "$dotnet_root"/LICENSE.txt "$dotnet_root"/ThirdPartyNotices.txt "$bundle/dotnet/" 2>/dev/null || true

cat > "$bundle/lstranslate" <<'EOF'
#!/bin/sh
# Runs lstranslate on the .NET runtime beside it; libtorch comes from LSTRANSLATE_LIBTORCH or --libtorch.
here="$(dirname "$(readlink -f "$0")")"
unset DOTNET_ROOT_X64
DOTNET_ROOT="$here/dotnet" exec "$here/app/lstranslate" "$@"
EOF
chmod +x "$bundle/lstranslate"
cat > "$bundle/README.txt" <<EOF
lstranslate $(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props"), on .NET $core (bundled), without libtorch.
Run it on a PyTorch install's libtorch (built against libtorch 2.10, the version TorchSharp 0.107 binds to):
  export LSTRANSLATE_LIBTORCH=\$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + "/lib")')
  ./lstranslate train --device cuda ...
EOF

mkdir -p "$(dirname "$out")"
tar czf "$out.partial" -C "$stage" lstranslate
size=$(stat -c %s "$out.partial")
if (( size > limit_mib * 1024 * 1024 )); then
  rm -f "$out.partial"
  echo "bundle: $(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }') MiB is over the $limit_mib MiB limit" >&2; exit 1
fi
mv "$out.partial" "$out"
awk -v s="$size" -v f="$out" -v c="$core" -v a="$aspnet" \
  'BEGIN { printf "{\"bundle\": \"%s\", \"mib\": %.1f, \"dotnet\": \"%s\", \"aspnetcore\": \"%s\"}\n", f, s / 1048576, c, a }'
