# agentready as a container image, built from source:
#
#   docker build -t agentready .
#   docker run --rm agentready audit https://example.com
#   docker run --rm -v "$PWD/public:/work/public:ro" agentready audit public
#
# A static binary (CGO_ENABLED=0) on distroless/static: CA certificates
# and tzdata, no shell, run as the image's non-root user (65532). Releases
# build the same image from goreleaser's binaries (.goreleaser.Dockerfile).
ARG GO_VERSION=1.26
FROM --platform=$BUILDPLATFORM docker.io/library/golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=""
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/agentready ./cmd/agentready

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/agentready /usr/local/bin/agentready
WORKDIR /work
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/agentready"]
CMD ["--help"]
