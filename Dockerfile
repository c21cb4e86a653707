# Multi-stage build: compile in the Rust image, run as a non-root user in a slim Debian.
FROM rust:1.95-slim-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends cmake clang && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin mentorship-api

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home mentorship
COPY --from=build /src/target/release/mentorship-api /usr/local/bin/mentorship-api
USER mentorship
ENV MENTORSHIP_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["mentorship-api"]
CMD ["serve"]
