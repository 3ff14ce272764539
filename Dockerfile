# syntax=docker/dockerfile:1

# Build: a static binary, version stamped by --build-arg VERSION=...
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/idgraph ./cmd/idgraph

# Run: no shell, no package manager, not root.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/idgraph /usr/local/bin/idgraph
ENV IDGRAPH_ADDR=:8080 \
    LOG_FORMAT=json
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/idgraph"]
CMD ["serve"]
