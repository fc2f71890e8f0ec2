#!/usr/bin/env bash
# Install the Debian packages the VM harness needs (also the list for CI).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $VM_HOST_PACKAGES
