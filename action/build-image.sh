#!/usr/bin/env bash
# Builds the action image offline: build-image.sh TAG [PUBLISHED_DIR]
# PUBLISHED_DIR holds an already published NativeAOT studio-token (CI passes its own, published with
# -p:StudioTokenEntra=false); without it, it publishes one that way.
set -euo pipefail
tag=${1:?usage: build-image.sh TAG [PUBLISHED_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
published=${2:-}
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT

if [ -z "$published" ]; then
  published="$context/publish"
  # Without Entra ID: the action does not offer it, and MSAL would put the image over its 30 MB goal.
  dotnet publish "$root/src/StudioToken.Cli" -c Release -r linux-x64 -p:StudioTokenEntra=false -o "$published" >&2
fi

rootfs="$context/rootfs"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/lib/x86_64-linux-gnu" "$rootfs/lib64" "$rootfs/etc/ssl/certs" "$rootfs/tmp"
install -m 0755 "$published/studio-token" "$rootfs/usr/local/bin/studio-token"
# action.yml's entrypoint and post-entrypoint: the binary tells them apart by the name it was started by.
ln -s studio-token "$rootfs/usr/local/bin/action-main"
ln -s studio-token "$rootfs/usr/local/bin/action-post"
mkdir -p "$rootfs/run"
for lib in libc.so.6 libm.so.6 libssl.so.3 libcrypto.so.3 ld-linux-x86-64.so.2; do
  cp -L "/lib/x86_64-linux-gnu/$lib" "$rootfs/lib/x86_64-linux-gnu/$lib"
done
ln -s /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$rootfs/lib64/ld-linux-x86-64.so.2"
cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$rootfs/tmp"
cp "$here/Dockerfile" "$context/Dockerfile"

docker build --quiet --tag "$tag" "$context" >&2
docker image inspect "$tag" --format '{{.Size}}'
