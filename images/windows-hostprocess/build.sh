#!/usr/bin/env bash
# Builds and pushes the Windows HostProcess images of flannel and kube-proxy (see README.md).
# usage: build.sh <flannel version, e.g. v0.28.9> <kubernetes version, e.g. 1.34.2> <cni-plugin version> <sdnoverlay version> <plugins version>
set -euo pipefail
[ $# -eq 5 ] || { sed -n '3p' "$0" >&2; exit 2; }
flannel=$1 kubernetes=v${2#v} cni_plugin=$3 sdnoverlay=$4 plugins=$5
repository=${REPOSITORY:-ghcr.io/k8s-book-systems}
here=$(dirname "$0")
docker buildx build --platform windows/amd64 --push -f "$here/flannel.Dockerfile" \
  --build-arg FLANNEL_VERSION="$flannel" --build-arg CNI_PLUGIN_VERSION="$cni_plugin" \
  --build-arg SDNOVERLAY_VERSION="$sdnoverlay" --build-arg PLUGINS_VERSION="$plugins" \
  -t "$repository/flannel-windows:$flannel-hostprocess" "$here"
docker buildx build --platform windows/amd64 --push -f "$here/kube-proxy.Dockerfile" \
  --build-arg KUBERNETES_VERSION="$kubernetes" \
  -t "$repository/kube-proxy-windows:$kubernetes-hostprocess" "$here"
