#!/bin/bash
# Build time and peak memory of a project whose network embeds a weights file of each given size (MB, 10^6 bytes):
# [Input(n)] [Dense(n)] [Dense(10)] with n chosen so the safetensors file has about that many bytes.
# Usage: bench/embedded-weights/measure.sh [REPO] SIZE_MB...   (REPO defaults to this script's repository)
# Prints one Markdown row per size: file bytes, compile wall time, peak resident memory of the largest build process,
# the generated weights source's size, and whether the program loaded the embedded weights correctly.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [[ $# -gt 0 && -d "$1" ]]; then repo="$(cd "$1" && pwd)"; shift; fi
work="$(mktemp -d /tmp/netgen-embed.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
# NetGen's own projects are built once, so each measured build compiles only the embedding project.
dotnet build "$repo/generator/NetGen.Generator/NetGen.Generator.csproj" -c Release -nodeReuse:false > "$work/netgen.log" 2>&1
dotnet build "$repo/runtime/NetGen/NetGen.csproj" -c Release -nodeReuse:false >> "$work/netgen.log" 2>&1
echo "| File | Compile wall time | Peak memory | Generated weights source | Loads |"
echo "|---:|---:|---:|---:|---|"
for mb in "$@"; do
  n=$(/usr/bin/python3 -c "import math; print(max(8, int(math.sqrt($mb * 1e6 / 4))))")
  project="$work/embed$mb"
  mkdir -p "$project"
  cat > "$project/Embed.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$repo/eng/NetGen.Local.props" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <AdditionalFiles Include="big.safetensors" />
  </ItemGroup>
</Project>
XML
  cat > "$project/Program.cs" <<CS
using System;
using NetGen;
using NetGen.IO;

var embedded = Big.WithEmbeddedWeights(1);
var loaded = new Big(seed: 0, 1);
loaded.Load("big.safetensors");
Console.WriteLine(embedded.Parameters.SequenceEqual(loaded.Parameters) ? "yes" : "NO");

[Network(Weights = "big.safetensors")]
[Input($n)]
[Dense($n, Activation.ReLU)]
[Dense(10)]
public partial class Big;
CS
  /usr/bin/python3 - "$project/big.safetensors" "$n" <<'PY'
import json, struct, sys
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
shapes = [("dense1.weight", [n, n]), ("dense1.bias", [n]), ("dense2.weight", [10, n]), ("dense2.bias", [10])]
header, offset = {}, 0
for name, shape in shapes:
    size = 4 * int(np.prod(shape))
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + size]}
    offset += size
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
rng = np.random.default_rng(0)
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for name, shape in shapes:
        f.write((rng.standard_normal(int(np.prod(shape)), dtype=np.float32) * 0.01).tobytes())
PY
  bytes=$(stat -c %s "$project/big.safetensors")
  # Without the compiler server, so the compiler's memory is a process of the build.
  (cd "$project" && dotnet restore > "$work/restore$mb.log" 2>&1)
  if (cd "$project" && /usr/bin/time -f "%e %M" -o "$work/time$mb" dotnet build -c Release --no-restore --no-dependencies -nodeReuse:false -m:1 -p:UseSharedCompilation=false > "$work/build$mb.log" 2>&1); then
    read -r seconds kilobytes < <(tail -n 1 "$work/time$mb")
    generated=$(find "$project/obj/Release" -name 'Big.Weights.g.cs' -printf '%s')
    answer=$(cd "$project" && dotnet bin/Release/net10.0/Embed.dll)
    printf '| %s B | %s s | %s MB | %s B | %s |\n' "$bytes" "$seconds" "$((kilobytes / 1024))" "$generated" "$answer"
  else
    read -r seconds kilobytes < <(tail -n 1 "$work/time$mb") || true
    printf '| %s B | failed after %s s (%s) | %s MB | | |\n' "$bytes" "$seconds" "$(grep -o -E 'error [A-Z]+[0-9]+|OutOfMemory[A-Za-z]*' "$work/build$mb.log" | head -n 1 || true)" "$((kilobytes / 1024))"
  fi
  rm -rf "$project"
done
