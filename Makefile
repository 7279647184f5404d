# dwkit — thin targets over go and scripts/ (STYLE.md §10).
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS := -X github.com/dwkit/dwkit/lib/cli.version=$(VERSION)

RECIPES := scrape docs-basic docs-enhanced docs-semantic docs-token-aware docs-cpt \
	code-basic code-ast code-files code-multigran code-token-aware code-rich \
	patterns patterns-clean cpt-mix publish

.PHONY: build test unit agreement tokens readers lint bench bench-peers example corpus fuzz clean $(RECIPES)

## build: the dw-* binaries into bin/
build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/ ./cmd/...

## test: everything CI runs — lint, the reference checks, all Go tests
test: build lint agreement tokens readers unit

## unit: the Go test suite (table, fuzz seeds, testscript)
unit:
	$(GO) test ./...

## agreement: dw-rustparse against syn on the Debian crate corpus (>= 99.5 % per field);
## dw-callgraph against the calls rustc resolves in MIR (recall >= 0.85, precision >= 0.99 per crate)
agreement:
	scripts/agreement.sh
	scripts/oracle-mir/oracle.sh 0.85 0.99

## tokens: lib/token's ids equal npm tiktoken's and the Rust HF tokenizers' on a real corpus
tokens:
	scripts/token-check.sh

## readers: install the independent readers the tests run (hyparquet, DuckDB, @huggingface/hub; npm)
readers:
	scripts/install-readers.sh

## lint: gofmt, go vet, staticcheck (pinned) and a tidy go.mod
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@$(GO) mod tidy -diff >/dev/null || { echo "go mod tidy would change go.mod/go.sum:"; $(GO) mod tidy -diff; exit 1; }

## bench: speed and peak memory on the real corpus
bench:
	scripts/bench-rustparse.sh
	scripts/bench-token.sh
	scripts/bench-callgraph.sh
	scripts/bench-upload.sh
	scripts/bench-redact.sh
	scripts/bench-mix.sh

## bench-peers: dwkit beside repomix, npm tiktoken and @anush008/tokenizers on the corpus
bench-peers:
	scripts/bench-peers.sh

## example: the main job on real Rust code (installs the corpus)
example:
	scripts/example.sh

## recipes: every dataset of the original scripts, one target each (scripts/recipes/NAME.sh);
## set REPO= (a Rust checkout), WIKI= (OWNER/REPO on DeepWiki), OUT= (default out), TOKENIZER=
export REPO WIKI WIKI_BASE PAGES OUT TOKENIZER RECIPE HUB_REPO PRIVATE LICENSE TAGS
$(RECIPES):
	scripts/recipes/$@.sh

## corpus: install the Rust corpus from Debian's librust-*-dev packages
corpus:
	scripts/corpus.sh

## fuzz: run each fuzz target for FUZZTIME (default 60s)
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME) ./ndjson
	$(GO) test -run '^$$' -fuzz '^FuzzParseRecord$$' -fuzztime $(FUZZTIME) ./ndjson
	$(GO) test -run '^$$' -fuzz '^FuzzCompressed$$' -fuzztime $(FUZZTIME) ./ndjson
	$(GO) test -run '^$$' -fuzz '^FuzzFlight$$' -fuzztime $(FUZZTIME) ./lib/deepwiki
	$(GO) test -run '^$$' -fuzz '^FuzzMCP$$' -fuzztime $(FUZZTIME) ./lib/deepwiki
	$(GO) test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./lib/rust
	$(GO) test -run '^$$' -fuzz '^FuzzScanners$$' -fuzztime $(FUZZTIME) ./lib/token
	$(GO) test -run '^$$' -fuzz '^FuzzBPE$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 20x ./lib/token
	$(GO) test -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime $(FUZZTIME) ./lib/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzSplitCode$$' -fuzztime $(FUZZTIME) ./lib/render
	$(GO) test -run '^$$' -fuzz '^FuzzPurpose$$' -fuzztime $(FUZZTIME) ./lib/cargo
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./lib/hfdata
	$(GO) test -run '^$$' -fuzz '^FuzzParsers$$' -fuzztime $(FUZZTIME) ./lib/mix

clean:
	rm -rf bin out scripts/oracle-syn/target scripts/token-refs/node_modules scripts/readers/node_modules scripts/peers/node_modules
