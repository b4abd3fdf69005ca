#!/usr/bin/env bash
# Packs VoScript.Engine and VoScript.Dsl into a local folder feed (.build/packages), checks
# what the packages hold, builds the sample host program against them (not against the
# projects) and runs it on scripts/data/sample.vot. Exit 0 when all of it worked.
#
#   bash scripts/embedding/run.sh [OUTDIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
feed="$root/.build/packages"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rm -rf "$feed" "$here/.packages" "$here/bin" "$here/obj"
echo "== pack"
for project in engine/VoScript.Engine/VoScript.Engine.csproj dsl/VoScript.Dsl/VoScript.Dsl.csproj; do
  dotnet pack "$root/$project" -c Release -o "$feed" --nologo -v q -clp:ErrorsOnly
done

echo "== check the packages"
/usr/bin/python3 - "$feed" <<'PY'
import sys, zipfile, pathlib
feed = pathlib.Path(sys.argv[1])
ok = True
for pkg in ("VoScript.Engine", "VoScript.Dsl"):
    nupkg = feed / f"{pkg}.0.1.0.nupkg"
    snupkg = feed / f"{pkg}.0.1.0.snupkg"
    names = set(zipfile.ZipFile(nupkg).namelist())
    need = ["README.md", "LICENSE", f"lib/net10.0/{pkg}.dll", f"lib/net10.0/{pkg}.xml"]
    missing = [n for n in need if n not in names]
    symbols = snupkg.exists() and f"lib/net10.0/{pkg}.pdb" in zipfile.ZipFile(snupkg).namelist()
    print(f"{nupkg.name}: {'ok' if not missing else 'missing ' + ', '.join(missing)}; symbols {'ok' if symbols else 'missing'}")
    ok = ok and not missing and symbols
    nuspec = zipfile.ZipFile(nupkg).read(f"{pkg}.nuspec").decode("utf-8")
    if "frameworkReference" in nuspec:
        print(f"{nupkg.name}: has a framework reference (the packages must run on the base .NET runtime)")
        ok = False
sys.exit(0 if ok else 1)
PY

echo "== build the sample against the packages"
dotnet build "$here/EmbeddingSample.csproj" -c Release --nologo -v q -clp:ErrorsOnly

out="${1:-}"
if [[ -z "$out" ]]; then out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT; fi
frameworks="$(/usr/bin/python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["runtimeOptions"]; print(" ".join(f["name"] for f in c.get("frameworks", [c.get("framework", {})])))' "$here/bin/Release/net10.0/EmbeddingSample.runtimeconfig.json")"
echo "sample runs on: $frameworks"
if [[ "$frameworks" != "Microsoft.NETCore.App" ]]; then echo "the sample needs more than the base .NET runtime" >&2; exit 1; fi
echo "== run"
dotnet "$here/bin/Release/net10.0/EmbeddingSample.dll" "$root/scripts/data/sample.vot" "$out"
