/*
Dw-rustparse walks a Rust repository and writes one NDJSON record per
crate, per source file and per item, parsed with tree-sitter.

Usage:

	dw-rustparse [flags] REPO_DIR

The walk honours .gitignore files, skips hidden folders, cargo's target/,
vendored folders (vendor/, third_party/, ...), generated files (a marker such
as "@generated" or "DO NOT EDIT" in the first five lines), binary files and
project templates (a Cargo.toml with cargo-generate's {{placeholders}}, or a
cargo-generate.toml beside it: the folder is counted and left out), and
follows no symlink out of REPO_DIR. Files come in sorted path order; with the
same input and flags the output is the same bytes whatever --workers is.

Items come from every .rs file, whatever its size; the size window
(--min-size, --max-size) chooses only which files also get a file record. No
file over --max-parse (8 MiB, far above real source) is parsed: it gets a
warning, and its file record when the window allows. Items nested over 32
deep stay in their parent's text (a warning), and call sites keep at most
256 bytes of callee and receiver text, so work and output stay linear in the
input.

Every Cargo.toml is read, so each record knows its crate, its target (lib,
bin, test, example, bench, build) and its module path, e.g.
router::core::payments, from the file path, mod.rs/lib.rs/main.rs rules,
#[path = "..."] attributes and inline mod blocks.

Records (one JSON object per line):

	kind        crate, workspace, file, fn, struct, enum, union, trait, impl,
	            mod, macro (macro_rules), macro_call (an item-position macro
	            such as diesel::table!), const, static, type
	id          stable: a hash of repository, path, kind, qualified name and text
	text        the exact source: Cargo.toml, the whole file, or the item
	            from its first outer attribute or doc comment to its end
	source      repo, commit, path, start_line, end_line, start_byte, end_byte
	rust        crate, target, module, name, path (qualified), visibility,
	            async/unsafe/const/extern/abi/mutable, attrs [{name, text}],
	            derives, docs, signature, generics, where, returns, has_body,
	            fn_kind (free, method, trait_impl_method, trait_method,
	            extern), impl {trait, self_type}, parent {kind, path, trait,
	            self_type}, fields (struct and union field types; for an
	            enum, Variant.field), has_errors; for files: docs, attrs, mods, items;
	            for crates: package, version, targets, dependencies (name,
	            package, kind, source, path, version, optional, target,
	            features, no_default_features), features ([features]: {}
	            without the table); for workspaces: workspace {members,
	            exclude, dependencies}

With --calls, function records also carry their call sites (rust.calls:
kind, path, receiver, text, line, byte, end, expr; calls in macro
arguments included; kind ref for paths passed as values, var for calls of
names patterns bind or of functions declared in the body), the types of their parameters (rust.vars), their
local bindings with their scope (rust.lets: name, type, expr or field,
from, to, and of: the end of the call a closure parameter's closure is
given to) and the use declarations
in their bodies (rust.uses), and file records their use declarations
(rust.uses), from the same parse; dw-callgraph then does not parse again.

Skipped files are counted in the closing summary on stderr (-v lists each
one). A file over --max-parse or with a NUL byte gets a warning line; an
unreadable file, a file that is not UTF-8, a broken Cargo.toml or a parse
over --parse-timeout gets an error line: processing goes on and the exit
status is 1 at the end (--fail-fast stops at the first).

Exit status: 0 when all went well, 1 after errors, 2 for a bad command line.

Examples:

	# every record of a workspace
	dw-rustparse ./hyperswitch > items.jsonl

	# public functions of one crate, with jq
	dw-rustparse --kinds fn ./hyperswitch | jq -c 'select(.rust.crate == "router" and .rust.visibility == "pub")'

	# whole files only, compressed
	dw-rustparse --kinds file -o files.jsonl.zst ./hyperswitch

	# all trait impls of From, the right way round
	dw-rustparse --kinds impl . | jq -r 'select(.rust.impl.trait | startswith("From<")) | .rust.path'
*/
package main
