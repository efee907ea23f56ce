#!/usr/bin/env bash
# The GPU check in one command, for the day a machine with an NVIDIA GPU is lent (about 15 minutes):
# builds core + voxplain-cli against the LibTorch inside that machine's Python PyTorch, checks CUDA
# against the CPU map by map (fp32, relative L2 <= 1e-4), benchmarks every precision (fp32, fp16,
# bf16) on the demo model and an InstanceNorm U-Net written outside the project at 128^3 and on a
# 512 x 512 x 300 CT-sized volume, and writes JSON and one Markdown table under one folder.
#
#   tools/gpu-check.sh [--dry-run] [--out DIR] [--build DIR] [--deps DIR] [--python PY] [--jobs N]
#   tools/gpu-check.sh --pack-deps DIR
#
#   --dry-run    everything except the device: the CPU stands in for CUDA, volumes are small and only
#                fp32 runs (fp16 / bf16 autocast is CUDA only). CI runs it (setup.sh test), so the
#                script cannot rot between GPU loans.
#   --pack-deps  copies the header-only libraries the build needs (nlohmann/json, CLI11) and zlib from
#                this Debian machine into DIR, for a GPU machine that cannot install packages; pass
#                that folder there with --deps DIR.
#   --out        results (default build-gpu-check/results): environment.json, agreement.json,
#                bench_*.json, gpu-check.md, build.log.
#
# Needs cmake, ninja, a C++17 compiler and python3 with torch (CUDA build unless --dry-run); no Qt,
# VTK, ITK or DCMTK (VOXPLAIN_IO / VOXPLAIN_GUI off). Exit 1 with the failing step named.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

dry=0 out="" build="" deps="" python=${PYTHON:-python3} jobs=${JOBS:-$(nproc)} pack=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry=1 ;;
    --out) out=$2; shift ;;
    --build) build=$2; shift ;;
    --deps) deps=$(cd "$2" && pwd); shift ;;
    --python) python=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --pack-deps) pack=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "gpu-check: $*" >&2; exit 1; }

if [ -n "$pack" ]; then
  mkdir -p "$pack/include" "$pack/share/cmake" "$pack/lib"
  cp -r /usr/include/nlohmann /usr/include/CLI "$pack/include/"
  cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$pack/share/cmake/"
  cp /usr/include/zlib.h /usr/include/zconf.h "$pack/include/"
  cp /usr/lib/x86_64-linux-gnu/libz.a "$pack/lib/"
  echo "gpu-check: dependencies packed into $pack ($(du -sh "$pack" | cut -f1)); pass --deps $pack"
  exit 0
fi

build=${build:-build-gpu-check}
out=${out:-$build/results}
mkdir -p "$out"
out=$(cd "$out" && pwd)
started=$(date +%s)
step() { echo "== [$(( $(date +%s) - started )) s] $*"; }

# 1. The PyTorch that the machine has, and the LibTorch inside it.
step "PyTorch ($python)"
"$python" - > "$out/environment.json" <<'EOF' || fail "$python cannot import torch"
import json, os, platform, torch
prefix = torch.utils.cmake_prefix_path
info = {"python": platform.python_version(), "torch": torch.__version__, "cuda": torch.version.cuda,
        "cuda_available": torch.cuda.is_available(), "cmake_prefix_path": prefix,
        "has_torch_config": os.path.exists(os.path.join(prefix, "Torch", "TorchConfig.cmake")),
        "device_name": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}
print(json.dumps(info, indent=1))
EOF
field() { "$python" -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print('' if v is None else v)" "$out/environment.json" "$1"; }
torch_prefix=$(field cmake_prefix_path)
cmake_args=(-DCMAKE_BUILD_TYPE=Release -DVOXPLAIN_IO=OFF -DVOXPLAIN_GUI=OFF -DVOXPLAIN_TESTS=OFF)
if [ "$dry" = 1 ]; then
  device=cpu
  precisions=(fp32)
  edge=32 ct=48,48,24 agree_edge=32
  # Debian's python3-torch carries no CMake package: the dry run builds against the system LibTorch.
  if [ "$(field has_torch_config)" = True ]; then cmake_args+=(-DCMAKE_PREFIX_PATH="$torch_prefix${deps:+;$deps}"); fi
else
  [ "$(field cuda_available)" = True ] || fail "PyTorch $(field torch) sees no CUDA device (use --dry-run without a GPU)"
  [ "$(field has_torch_config)" = True ] || fail "no TorchConfig.cmake under $torch_prefix"
  device=cuda
  precisions=(fp32 fp16 bf16)
  edge=128 ct=512,512,300 agree_edge=64
  cmake_args+=(-DCMAKE_PREFIX_PATH="$torch_prefix${deps:+;$deps}")
  # The arch of the GPU in hand only: the build compiles no kernels, but TorchConfig asks.
  arch=$("$python" -c "import torch; m, n = torch.cuda.get_device_capability(0); print(f'{m}.{n}')")
  export TORCH_CUDA_ARCH_LIST=$arch
fi
[ -n "$deps" ] && cmake_args+=(-DZLIB_ROOT="$deps")

# 2. core + voxplain-cli against that LibTorch.
step "configure and build core + voxplain-cli in $build ($jobs jobs)"
if ! { cmake -S . -B "$build" -G Ninja "${cmake_args[@]}" && cmake --build "$build" -j "$jobs" --target voxplain-cli; } \
    > "$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log"
  fail "the build failed (log: $out/build.log)"
fi
cli=$(cd "$build/app" && pwd)/voxplain-cli
"$cli" --version > "$out/voxplain-version.txt" 2>&1 || fail "the built voxplain-cli does not run"
build_seconds=$(( $(date +%s) - started ))

# 3. Networks: the demo model and an InstanceNorm U-Net this project did not train.
step "networks"
nets=$build/nets
if [ ! -s "$nets/inorm_unet.pt" ]; then
  "$python" tests/model/make_foreign_networks.py "$nets" > "$out/networks.log" 2>&1 || { tail "$out/networks.log"; fail "make_foreign_networks.py failed"; }
fi
demo=$root/resources/demo/demo_unet.json
inorm=$nets/inorm_unet.pt

# 4. CUDA against the CPU, map by map (deterministic methods; fp32 is IEEE on the GPU: TF32 off).
agree_methods=(saliency input_x_gradient integrated_gradients guided_backprop deeplift gradcam gradcam++ kwc occlusion)
bench_common=(--threads 0 --repeats 1 --json)
for spec in "demo:$demo:" "inorm_unet:$inorm:--inputs 2"; do
  IFS=: read -r name model extra <<< "$spec"
  step "agreement $name: $device against cpu at ${agree_edge}^3"
  # The reference on the CPU, then the same run on the device (in the dry run: the CPU again).
  for run in reference device; do
    dev=cpu
    [ "$run" = device ] && dev=$device
    args=(bench --model "$model" $extra --size "$agree_edge" --device "$dev" "${bench_common[@]}"
          --save-maps "$build/maps/$name-$run" --param occlusion.block=16)
    [ "$name" = inorm_unet ] && args+=(--param gradcam.layers=dec2 --param gradcam++.layers=dec2 --param kwc.layers=dec2)
    for m in "${agree_methods[@]}"; do
      # Guided Backprop and DeepLift need ReLUs: the InstanceNorm U-Net has leaky ReLUs (refused, tested).
      [ "$name" = inorm_unet ] && { [ "$m" = guided_backprop ] || [ "$m" = deeplift ]; } && continue
      args+=(--method "$m")
    done
    "$cli" "${args[@]}" > "$out/agreement_${name}_$run.json" || fail "bench on $dev failed ($name)"
  done
done
"$python" tools/gpu_check_report.py agreement --maps "$build/maps" --device "$device" --out "$out/agreement.json" \
  || fail "CUDA and CPU maps differ (see $out/agreement.json)"

# 5. Benchmarks per precision.
bench_methods=(--method saliency --method smoothgrad --method integrated_gradients --method gradcam --method kwc --method occlusion)
for p in "${precisions[@]}"; do
  step "bench $p: demo at ${edge}^3"
  "$cli" bench --model "$demo" --size "$edge" --device "$device" --precision "$p" "${bench_methods[@]}" \
    "${bench_common[@]}" > "$out/bench_demo_${edge}_$p.json" || fail "bench demo $p failed"
  step "bench $p: inorm_unet at ${edge}^3"
  "$cli" bench --model "$inorm" --inputs 2 --size "$edge" --device "$device" --precision "$p" "${bench_methods[@]}" \
    --param gradcam.layers=dec2 --param kwc.layers=dec2 "${bench_common[@]}" > "$out/bench_inorm_unet_${edge}_$p.json" \
    || fail "bench inorm_unet $p failed"
  step "bench $p: demo on a CT-sized ${ct} volume"
  "$cli" bench --model "$demo" --size "$ct" --device "$device" --precision "$p" --method saliency --method gradcam \
    "${bench_common[@]}" > "$out/bench_demo_ct_$p.json" || fail "bench CT-sized $p failed"
done

# 6. One Markdown table.
"$python" tools/gpu_check_report.py markdown --results "$out" --build-seconds "$build_seconds" \
  --total-seconds "$(( $(date +%s) - started ))" --dry-run "$dry" > "$out/gpu-check.md"
step "done: $out/gpu-check.md"
cat "$out/gpu-check.md"
