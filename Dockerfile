# syntax=docker/dockerfile:1
# keyward in a container: a static (musl) binary on a distroless base, run as a
# non-root user, with the repository to scan mounted at /repo:
#
#   docker build -t keyward .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/repo" keyward scan .
#
# See docs/install.md ("Docker") for its use in CI.

ARG RUST_VERSION=1.95

# Rust's Alpine image targets musl: keyward has no C dependency, so the binary it
# builds is fully static and needs nothing from the image it runs in.
FROM rust:${RUST_VERSION}-alpine AS build
# musl-dev: the C runtime objects the linker needs (Alpine's own versions, kept current).
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY rules ./rules
COPY src ./src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin keyward \
    && install -D -m 0755 target/release/keyward /out/keyward \
    && /out/keyward --version

# distroless "static": no shell, no libc, no package manager; CA certificates and a
# `nonroot` user (65532) only.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/keyward /usr/local/bin/keyward
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/keyward"]
CMD ["scan", "."]
