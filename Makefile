# idgraph: the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /usr/bin/env bash

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run test build vet fmt clean

## run: build bin/idgraph and serve it, against the local Neo4j unless NEO4J_URI is set
run: build
	@set -euo pipefail; \
	local_neo4j=0; \
	if [[ -z "$${NEO4J_URI:-}" ]]; then \
		scripts/neo4j start; \
		eval "$$(scripts/neo4j env)"; \
		local_neo4j=1; \
	fi; \
	export NEO4J_URI NEO4J_USERNAME NEO4J_PASSWORD; \
	if [[ -z "$${IDGRAPH_CONFIG:-}" ]]; then \
		IDGRAPH_CONFIG=$(KEYS_FILE); \
		if [[ ! -f $(KEYS_FILE) ]]; then bin/idgraph init -out $(KEYS_FILE); \
		else echo "Keys:          $(KEYS_FILE) (kept between runs; make rotate-keys makes new ones)"; \
			sed -n 's/.*token: \("[^"]*"\).*/  access token: \1/p; s/.*write_key: \("[^"]*"\).*/  write key:    \1/p' $(KEYS_FILE); fi; \
	fi; \
	export IDGRAPH_CONFIG; \
	addr="$${IDGRAPH_ADDR:-:8080}"; \
	host="$${addr%:*}"; port="$${addr##*:}"; \
	echo "idgraph API:   http://$${host:-127.0.0.1}:$$port/  (GET /healthz, GET /readyz)"; \
	echo "Neo4j:         $$NEO4J_URI"; \
	if [[ $$local_neo4j == 1 ]]; then \
		echo "Neo4j Browser: http://127.0.0.1:$${NEO4J_HTTP_PORT:-7474}/browser/  (user $$NEO4J_USERNAME; password: scripts/neo4j env)"; \
	fi; \
	exec bin/idgraph serve

# KEYS_FILE keeps the default space's keys between runs of make run
# (git-ignored, mode 0600).
KEYS_FILE := .idgraph/spaces.yaml

.PHONY: rotate-keys

## rotate-keys: write new keys for make run's default space; the old ones stop working at its next start
rotate-keys: build
	bin/idgraph init -force -out $(KEYS_FILE)

## test: gofmt, go vet and every test against one real Neo4j (scripts/test)
test:
	scripts/test

## build: compile bin/idgraph (the service) and bin/idgraph-bench (the benchmark)
build:
	go build -ldflags "$(LDFLAGS)" -o bin/idgraph ./cmd/idgraph
	go build -o bin/idgraph-bench ./cmd/idgraph-bench

.PHONY: soak

## soak: build, then send mixed and poisoned requests at a bounded rate on loopback for SOAK_DURATION
## (10m) against the local Neo4j unless NEO4J_URI is set; writes SOAK.md; fails on a 5xx or a resource
## that grows. Not run in CI.
SOAK_DURATION ?= 10m
soak: build
	@$(with_neo4j); \
	bin/idgraph-bench soak -duration $(SOAK_DURATION) $(SOAK_FLAGS)

.PHONY: fuzz

# FUZZ_TARGETS are the fuzz targets, package:name. make test runs their
# seed corpora (testdata/fuzz and the f.Add seeds) as plain tests.
FUZZ_TARGETS := .:FuzzParseEvent .:FuzzParseBatch .:FuzzReadObject .:FuzzExtract \
	.:FuzzParseSpaces .:FuzzParseIdentifier ./api:FuzzProfileIdentifier
FUZZTIME ?= 30s

## fuzz: run each fuzz target with the fuzzing engine for FUZZTIME (30s: about 4 minutes for the 7);
## longer: make fuzz FUZZTIME=10m. A failing input is written to testdata/fuzz/ and then runs in make test.
fuzz:
	@set -euo pipefail; \
	for t in $(FUZZ_TARGETS); do \
		pkg="$${t%%:*}"; name="$${t##*:}"; \
		echo "fuzz: $$name ($$pkg) for $(FUZZTIME)"; \
		go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s "$$pkg"; \
	done

vet:
	go vet ./...

fmt:
	gofmt -w .

clean:
	rm -rf bin

.PHONY: bench bench-go

# with_neo4j points NEO4J_* at the local Neo4j, started if need be, unless
# NEO4J_URI is set: the start of a recipe's shell line.
with_neo4j = set -euo pipefail; \
	if [[ -z "$${NEO4J_URI:-}" ]]; then scripts/neo4j start; eval "$$(scripts/neo4j env)"; fi; \
	export NEO4J_URI NEO4J_USERNAME NEO4J_PASSWORD

## bench: build bin/idgraph and bin/idgraph-bench and run the benchmark against the local Neo4j unless
## NEO4J_URI is set; writes BENCHMARKS.md and bench.json. BENCH_FLAGS=--quick for a run under 3 minutes.
bench: build
	@$(with_neo4j); \
	bin/idgraph-bench bench $(BENCH_FLAGS)

## bench-go: run the Go benchmarks of internal/bench/hotpath_test.go and graph's EvidenceApart (the Neo4j ones against the local
## Neo4j unless NEO4J_URI is set) and write their table into BENCHMARKS.md, named by the commit.
bench-go: build
	@$(with_neo4j); \
	out="$$(mktemp)"; trap 'rm -f "$$out"' EXIT; \
	go test -run '^$$' -bench 'ParseEvent|ParseBatch|Extract|ResolverApply' -benchmem ./internal/bench/ | tee "$$out"; \
	go test -run '^$$' -bench 'StoreResolve|WriterConcurrent|StoreProfile' -benchtime 20000x -benchmem ./internal/bench/ | tee -a "$$out"; \
	go test -run '^$$' -bench 'EvidenceApart' -benchtime 20000x -benchmem ./graph/ | tee -a "$$out"; \
	bin/idgraph-bench gobench -commit "$(VERSION)" -in "$$out"
