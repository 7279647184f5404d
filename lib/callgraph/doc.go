// Package callgraph resolves who calls whom in a Rust workspace: from the
// items dw-rustparse found and the call sites and use declarations of each
// file, it builds the definition index (crate → module → items, methods
// by self type and trait, re-exports) and resolves each call to the
// function it names — or keeps it, with its text, as unresolved. It never
// guesses: an ambiguous call is unresolved. A method's receiver is typed
// from what the workspace says (types.go): parameters, lets, patterns,
// loops, fields, return types and generic bounds, or it stays unknown.
//
// The Graph lives here too: Build resolves every function of a workspace
// (parsing the files whose calls did not come with the records, in
// parallel) and keeps the reverse edges (who calls each function), the
// crate graph (path dependencies, what each crate uses of the others, the
// dependency cycles, what each crate is for) and the counts. Its
// renderings are the "graph" fields dw-callgraph writes (FnGraph with its
// text Tree, Flow sentence and Crate, CrateGraph), the Edges of --format
// graph, and Graphviz (WriteDot).
package callgraph
