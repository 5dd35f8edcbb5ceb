# The release image: goreleaser's dockers_v2 puts each platform's binary at
# $TARGETPLATFORM/agentready in the build context (no source, no Go). The
# same base and user as ./Dockerfile.
FROM gcr.io/distroless/static-debian12:nonroot
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/agentready /usr/local/bin/agentready
WORKDIR /work
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/agentready"]
CMD ["--help"]
