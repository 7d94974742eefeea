#!/usr/bin/env bash
# Installs a software WebGPU adapter for `npm run test:webgpu` on Debian 12 (CI runs this as root):
# lavapipe (Mesa's CPU Vulkan driver) from bookworm-backports, which Dawn (the `webgpu` npm package)
# accepts — Debian 12's own Mesa 22.3 lavapipe it rejects. The backports packages are only
# downloaded and unpacked into a private folder, with private apt lists: the system's apt sources
# stay as they are, and the mirror is the one those sources already name. Idempotent.
#
# Output: $GRAFT_WEBGPU_DIR (default ~/.cache/graft-webgpu) holding lvp_icd.json, which the WebGPU
# test setup points VK_ICD_FILENAMES at (test/webgpu/gpu.ts).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

dir="${GRAFT_WEBGPU_DIR:-$HOME/.cache/graft-webgpu}"
icd="$dir/lvp_icd.json"
if [[ -f "$icd" ]]; then
  echo "setup-webgpu: $icd already there"
  exit 0
fi

# The Vulkan loader and lavapipe's own dependencies (libLLVM, …) from the system's sources.
if ! dpkg -s libvulkan1 mesa-vulkan-drivers >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libvulkan1 mesa-vulkan-drivers >/dev/null
fi

# The first URI of the machine's own Debian sources (deb822 or one-line format).
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [[ -z "$mirror" ]]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
fi
if [[ -z "$mirror" ]]; then
  echo "setup-webgpu: no Debian mirror found in /etc/apt/sources*" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{lists/partial,cache/archives/partial,debs} "$dir"
echo "deb $mirror bookworm-backports main" >"$work/sources.list"
apt_private=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache")
apt-get "${apt_private[@]}" update -qq
(cd "$work/debs" && apt-get "${apt_private[@]}" download -qq mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports)
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$dir/unpacked"; done

lib="$dir/unpacked/usr/lib/x86_64-linux-gnu"
if [[ ! -f "$lib/libvulkan_lvp.so" ]]; then
  echo "setup-webgpu: libvulkan_lvp.so missing after unpacking" >&2
  exit 1
fi
printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s/libvulkan_lvp.so","api_version":"1.4.305"}}\n' "$lib" >"$icd"
echo "setup-webgpu: lavapipe from $(ls "$work"/debs | grep mesa-vulkan) in $dir"
