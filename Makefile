# The two commands of the README, and the chores around them.
.PHONY: run test bench generate check-generated vet lint fmt build

# Run the server with a local PostgreSQL and the demo network; GraphiQL at http://localhost:8080/.
run:
	@./scripts/install-postgres.sh
	go run ./cmd/partnernet dev

# Run every check and test against a real PostgreSQL, with the race detector.
test:
	@./scripts/test.sh

# Run the benchmark (docs/benchmark.md): heavy, never part of `make test`.
bench:
	@./scripts/bench.sh

# Regenerate the GraphQL code from schema/*.graphqls.
generate:
	go generate ./...

# Fail when regenerating would change the committed generated code.
check-generated:
	@./scripts/check-generated.sh

vet:
	go vet ./...

# Run golangci-lint (.golangci.yml), pinned in tools/go.mod.
lint:
	go tool -modfile=tools/go.mod golangci-lint run ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

build:
	go build -o bin/partnernet ./cmd/partnernet
