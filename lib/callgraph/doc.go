// Package callgraph resolves who calls whom in a Rust workspace: from the
// items dw-rustparse found and the call sites and use declarations of each
// file, it builds the definition index (crate → module → items, methods
// by self type and trait, re-exports) and resolves each call to the
// function it names — or keeps it, with its text, as unresolved. It never
// guesses: an ambiguous call is unresolved.
package callgraph
