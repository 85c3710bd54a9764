#!/bin/sh
# Make a base image for examples/sagemaker/Dockerfile without pulling from any image registry:
# Debian bookworm's Python 3.11 installed by debootstrap from the Debian archive, plus a folder
# of the wheels the lock (requirements.txt beside this script) names, checked by pip against
# the lock's sha256s. The image sets PIP_NO_INDEX and PIP_FIND_LINKS, so a build on it never
# goes to PyPI:
#
#   sh examples/sagemaker/offline-base-image.sh [TAG]      # default w2veval-base:offline
#   docker build -f examples/sagemaker/Dockerfile --network none \
#       --build-arg BASE_IMAGE=w2veval-base:offline --build-arg GOLDSETS=local ... .
#
# Needs root, debootstrap, docker and the Debian archive and PyPI (this script only; the
# builds on its image need neither). tests/test_sagemaker_image.py uses the image it makes.
set -eu

TAG=${1:-w2veval-base:offline}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/rootfs

debootstrap --variant=minbase --include=python3,python3-pip,ca-certificates \
    bookworm "$ROOT" "$MIRROR"
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*
# An image's own Python, as in python:3.11-slim: pip may install into it, and `python` exists.
rm -f "$ROOT"/usr/lib/python3.11/EXTERNALLY-MANAGED
ln -sf python3 "$ROOT"/usr/bin/python

# The lock's wheels for linux/amd64, CPython 3.11, verified against its sha256s.
python3 -m pip download --quiet --no-deps --require-hashes --only-binary :all: \
    --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
    --platform manylinux_2_17_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
    -r "$HERE/requirements.txt" -d "$ROOT/opt/wheels"

tar -C "$ROOT" -c . | docker import \
    --change 'ENV PIP_NO_INDEX=1 PIP_FIND_LINKS=/opt/wheels LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["python3"]' \
    --message "Debian bookworm python3 (debootstrap) + the wheels of examples/sagemaker/requirements.txt" \
    - "$TAG"
echo "made $TAG"
