#!/bin/bash
# NetGen's generator time in a real build: the ten networks of TenNetworks.cs.txt (decision 0021's set) compiled by a
# fresh compiler process (no compiler server, so the generator runs cold: loaded and JIT-compiled in that build), as
# the compiler reports it with -p:ReportAnalyzer=true. Usage: bench/generator-time/measure.sh [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${1:-3}"
work="$(mktemp -d /tmp/netgen-gentime.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
cat > "$work/TenNetworks.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$repo/eng/NetGen.Local.props" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
  </PropertyGroup>
</Project>
XML
cp "$here/TenNetworks.cs.txt" "$work/TenNetworks.cs"
(cd "$work" && dotnet build -c Release -nodeReuse:false > "$work/first.log" 2>&1)
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/obj/Release" "$work/bin"
  (cd "$work" && dotnet build -c Release --no-restore --no-dependencies -nodeReuse:false -p:UseSharedCompilation=false \
    -p:ReportAnalyzer=true -v:d > "$work/round.log" 2>&1)
  seconds=$(grep -m1 -E '^ +[0-9.<]+ +[0-9<]+ +NetGen\.Generator\.NetworkGenerator$' "$work/round.log" | awk '{print $1}')
  echo "round $round: NetGen.Generator.NetworkGenerator $seconds s (cold compiler process), load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
