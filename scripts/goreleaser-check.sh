#!/usr/bin/env bash
# Checks .goreleaser.yaml with the pinned goreleaser, fetched through the Go
# module proxy (no other download). Pass --snapshot to also build a local
# snapshot release into dist/ (slow: every platform is cross-compiled; the
# image is left out: dockers_v2 needs docker buildx).
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser=(go run github.com/goreleaser/goreleaser/v2@v2.15.1)
"${goreleaser[@]}" check
if [[ "${1:-}" == "--snapshot" ]]; then
	"${goreleaser[@]}" release --snapshot --clean --skip=publish,sign,docker
fi
