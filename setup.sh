#!/usr/bin/env bash
# Voxplain set-up: installs the Debian packages it needs (when missing), configures and builds
# with 2 jobs, then runs the main job or the whole test suite.
#
#   ./setup.sh demo    builds only the app, the CLI and the demo study, then opens the app on it
#                      (headless: writes the demo report to out/demo)
#   ./setup.sh test    the whole test suite (clang-tidy on the last commit's units; fuzz smoke and the
#                      sanitized subset in a clang build with ASan + UBSan; ctest under Xvfb; the GPU
#                      check's dry run; the package check)
#   ./setup.sh sanitize every engine, I/O, analysis and CLI test in that sanitized build
#   ./setup.sh tsan    the worker / job threading tests under ThreadSanitizer (clang, build-tsan)
#   ./setup.sh build   set-up and build only
#   ./setup.sh package build, then the Debian package check (also the last step of "test")
#
# Idempotent; runs apt-get as root, or through sudo. Environment: BUILD_DIR (default build),
# JOBS (default 2), CTEST_JOBS (tests at once, default JOBS + 1), VOXPLAIN_SKIP_APT=1 to skip the
# package step.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-demo}
build=${BUILD_DIR:-build}
jobs=${JOBS:-2}
ctest_jobs=${CTEST_JOBS:-$((jobs + 1))}

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl1-mesa-dev
  libvtk9-dev libtorch-dev libinsighttoolkit5-dev libdcmtk-dev dcmtk libgdcm-dev libgdcm-tools zlib1g-dev
  nlohmann-json3-dev libcli11-dev libssl-dev
  xvfb xauth xfonts-base libgl1-mesa-dri mesa-utils
  python3 python3-torch python3-numpy python3-scipy python3-pydicom python3-nibabel dicom3tools mricron-data
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
  lintian desktop-file-utils appstream
)

install_packages() {
  [ "${VOXPLAIN_SKIP_APT:-0}" = 1 ] && return
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "== installing ${#missing[@]} Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configures, then builds the given targets (none: everything, the tests included). Each step's
# time is printed, so the README's set-up times can be checked on any machine.
configure_and_build() {
  local start
  start=$(date +%s)
  echo "== configuring and building ${*:-everything} in $build with $jobs jobs"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  if [ $# -eq 0 ]; then cmake --build "$build" -j "$jobs"; else cmake --build "$build" -j "$jobs" --target "$@"; fi
  echo "== built in $(( $(date +%s) - start )) s"
}

run_demo() {
  if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    echo "== starting Voxplain on the demo study"
    exec "$build/app/voxplain" --demo
  fi
  echo "== no display: writing the demo report instead"
  "$build/app/voxplain-cli" demo --out out/demo --model resources/demo/brain_unet.json
}

# The clang-14 build with ASan + UBSan (and libFuzzer's coverage) beside the main one; its logs
# stay in its folder and are shown when a step fails. Builds `targets`.
build_sanitized() {
  mkdir -p "$build-fuzz"
  if ! CC=clang-14 CXX=clang++-14 cmake -S . -B "$build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DVOXPLAIN_GUI=OFF -DVOXPLAIN_FUZZ=ON -DVOXPLAIN_SANITIZE=address,undefined > "$build-fuzz/configure.log" 2>&1; then
    tail -n 40 "$build-fuzz/configure.log"; exit 1
  fi
  if ! cmake --build "$build-fuzz" -j "$jobs" --target "$@" > "$build-fuzz/build.log" 2>&1; then
    tail -n 40 "$build-fuzz/build.log"; exit 1
  fi
}

run_tests() {
  echo "== clang-tidy on the C++ units the last commit changed (.clang-tidy, tools/run_clang_tidy.py)"
  # clang-tidy reads each unit's own flags: a compile database without unity batches (configure only).
  cmake -S . -B "$build-tidy" -G Ninja -DVOXPLAIN_UNITY_BUILD=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    > "$build-tidy.log" 2>&1 || { tail -n 40 "$build-tidy.log"; exit 1; }
  /usr/bin/python3 tools/run_clang_tidy.py "$build-tidy" -j "$jobs"
  echo "== fuzz smoke and the sanitized subset: clang-14, ASan + UBSan, in $build-fuzz"
  build_sanitized fuzz_nifti fuzz_dicom fuzz_session fuzz_manifest sanitized_subset
  ctest --test-dir "$build-fuzz" -L "fuzz|sanitize" --output-on-failure -j "$jobs"
  echo "== test suite"
  # One more test than cores: many tests wait (Xvfb, timers, process start-up, Python imports);
  # measured warm on 2 cores, 96 tests: -j 3 1184 s, -j 2 1381 s.
  xvfb-run -a -s "-screen 0 1280x1024x24" ctest --test-dir "$build" --output-on-failure -j "$ctest_jobs"
  echo "== GPU check, dry run (tools/gpu-check.sh: every step, the CPU standing in for the GPU)"
  tools/gpu-check.sh --dry-run --python /usr/bin/python3 --build "$build-gpu-check" --jobs "$jobs" > /dev/null
  echo "== GPU check dry run passed ($build-gpu-check/results/gpu-check.md)"
  check_package
}

# Every engine, I/O, analysis and CLI test under ASan + UBSan (longer than CI's subset).
run_sanitized() {
  echo "== engine, I/O and CLI tests under ASan + UBSan in $build-fuzz"
  build_sanitized all
  ctest --test-dir "$build-fuzz" -L "core|io|model|attribution|analysis|cli|fuzz" -LE build --output-on-failure -j "$jobs"
}

# The threading contract of the application's workers (test_job_threads, label tsan) under
# ThreadSanitizer: clang-14, in $build-tsan. Qt is not built with TSan, so the jobs run on
# std::thread in a program without Qt there (tests/model/test_job_threads.cpp says why).
run_tsan() {
  echo "== worker / job threading tests under ThreadSanitizer in $build-tsan"
  mkdir -p "$build-tsan"
  if ! CC=clang-14 CXX=clang++-14 cmake -S . -B "$build-tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DVOXPLAIN_GUI=OFF -DVOXPLAIN_SANITIZE=thread > "$build-tsan/configure.log" 2>&1; then
    tail -n 40 "$build-tsan/configure.log"; exit 1
  fi
  if ! cmake --build "$build-tsan" -j "$jobs" --target test_job_threads > "$build-tsan/build.log" 2>&1; then
    tail -n 40 "$build-tsan/build.log"; exit 1
  fi
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --test-dir "$build-tsan" -L tsan --output-on-failure
}

# The Debian package: built by CPack, validated (desktop file, AppStream, lintian without errors),
# installed, its own demo run under Xvfb from the installed paths, then removed again.
check_package() {
  echo "== package check: build, validate, install, run the installed demo, remove"
  local start sudo="" log="$build/packaging/package-check.log"
  start=$(date +%s)
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  mkdir -p "$build/packaging"
  rm -f "$build"/voxplain_*.deb
  if ! (cd "$build" && cpack -G DEB) > "$log" 2>&1; then tail -n 40 "$log"; exit 1; fi
  local deb
  deb=$(ls "$(cd "$build" && pwd)"/voxplain_*.deb)
  desktop-file-validate packaging/org.voxplain.Voxplain.desktop
  appstreamcli validate --no-net --pedantic packaging/org.voxplain.Voxplain.metainfo.xml
  lintian --fail-on error "$deb"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$deb" >> "$log" 2>&1 || { tail -n 40 "$log"; exit 1; }
  local f
  for f in brain_unet.json brain_unet.pt demo_flair.nii.gz demo_t1.nii.gz demo_lesions.nii.gz dicom/FLAIR/IM0001.dcm dicom/T1/IM0001.dcm; do
    [ -s "/usr/share/voxplain/demo/$f" ] || { echo "the package lacks /usr/share/voxplain/demo/$f"; $sudo apt-get remove -y -qq voxplain >> "$log" 2>&1; exit 1; }
  done
  local shot
  shot="$(cd "$build" && pwd)/packaging/installed-demo.png"
  rm -f "$shot"
  local status=0
  (cd /tmp && xvfb-run -a -s "-screen 0 1280x1024x24" /usr/bin/voxplain --demo --screenshot "$shot" --timeout 600) || status=$?
  DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq voxplain >> "$log" 2>&1
  if [ "$status" -ne 0 ] || [ ! -s "$shot" ]; then echo "the installed voxplain --demo --screenshot failed ($status)"; exit 1; fi
  echo "== package check passed in $(( $(date +%s) - start )) s ($(basename "$deb"))"
}

apt_start=$(date +%s)
install_packages
echo "== packages ready in $(( $(date +%s) - apt_start )) s"
case "$mode" in
  # The lean first look: the app, the CLI and the demo study only (no test programs).
  demo) configure_and_build voxplain voxplain-cli voxplain_brain_demo; run_demo; exit ;;
  test|package|tsan|sanitize|build) configure_and_build ;;
  *) echo "usage: $0 [demo|test|package|sanitize|tsan|build]" >&2; exit 1 ;;
esac
case "$mode" in
  test) run_tests ;;
  package) check_package ;;
  tsan) run_tsan ;;
  sanitize) run_sanitized ;;
  build) ;;
esac
