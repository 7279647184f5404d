/*
Dw-callgraph resolves who calls whom in a Rust workspace and writes the
records of dw-rustparse back with their calls and callers.

Usage:

	dw-rustparse REPO | dw-callgraph [flags]

It needs the workspace's file records (for the function bodies and use
declarations) and item records (for the definitions), and reads its crate
and workspace records (for the features): dw-rustparse's default output. Every call in a function body is resolved to the function
it names, across the whole workspace:

	foo()                 an item of the module, a use import, a glob import
	crate::a::b(), super::x(), self::y(), other_crate::f()
	Type::new(), Self::x(), Trait::f(), T::f() with T: Trait
	self.x()              the impl's type (also impl … for &'a mut T), inherent methods first;
	                      in a trait, the trait's method; in impl<T: Tr> … for T, Tr's
	p.x(), v.x()          a parameter or local of known type
	a.b().c()?.d          a chain: each call's return type (Option and Result unwrapped
	                      after ?, .unwrap(), .expect(), tri!), each field's type
	if let Some(x) = e, match e { Ok(x) | Value::Number(x) | Foo { x, .. } | x => }
	for x in e, e.iter().map(|x| ..)
	let (a, b) = e, Ok((a, _)) =>, for (k, v) in map, for (i, x) in e.iter().enumerate()
	                      bindings typed by the value they take apart: an element of a
	                      Vec, slice, Option, tuple, std map (its keys, its values) or a
	                      workspace Iterator's Item, a variant's field
	type Res<T> = Result<T, Error>
	                      workspace type aliases, with their generic arguments and defaults
	p.x() with p: T, impl Trait or dyn Trait
	                      the method of the bound trait or its supertraits (how "bound")
	assert!(a.f()), tri!(g()), format!(..)
	                      macro arguments that are expressions, like any code
	pub use re-exports are followed.

A name defined more than once is chosen among its definitions only by what
is known for sure: those of the caller's own package (two versions of a
crate in one input), then those whose #[cfg] — with the cfgs of the impl,
trait or module around it and of its module's declaration — the features
do not rule out that a build of the whole workspace with default features
turns on (the package's defaults and what the other packages'
dependencies on it ask for, unified as cargo does; feature = "x" is known,
unix, target_os, test and build-script cfgs are not). When more than one
is left, the call is unresolved and its reason lists them as candidates.

What cannot be resolved — std and external crates, closures and functions
declared in a body, receivers of unknown type, ambiguous names, a method
that the receiver's pointer or reference may have first (Rc's clone, a
Pin's get_mut, an impl for &mut T) — is kept with its text and a reason,
never guessed into a wrong edge. Macro invocations are listed apart, and so are
constructors (Some(x), Error::Io(e), a tuple struct): they look like calls
but are not. A function passed as a value (.map(Foo::new), .route(handler),
let f = Foo::new, Hook { handler }, [a, b], return handler) is a reference
edge, not a call: how "reference".

A function record gains "graph": {"calls": [{"id", "path", "line", "how"}],
"called_by": [{"id", "path", "file", "line", "calls"}], "unresolved": [{"text",
"line", "reason"}], "constructors" (the same, when any), "references" and
"referenced_by" (as calls and called_by, when any), "macros", "counts",
"tree" (the calls as a text tree:
├─→ callee (file:line), --depth and --fanout deep and wide), "flow" (one
paragraph in plain English), "crate": {"name", "purpose", "depends_on"}}.
A crate record gains "graph": {"depends_on" (local crates), "used_by",
"uses": {crate: [paths called]}, "purpose"}; dependency cycles are
reported on stderr.

A crate's purpose is what it says it is for, on one line of at most 300
bytes: the description of its Cargo.toml, else the first paragraph of
prose of the //! docs of its library's root file (else its binary's; the
file records must be in the input or the --index), headings, badges and
HTML passed over, links reduced to their text, cut after a whole sentence
or at a word. A function's "crate" tells its crate's purpose and the
workspace crates it depends on (the crate record's depends_on); it is left
out when the crate is unknown (no crate record) or says neither.

--format graph writes the edges instead, one per line: {"from", "to",
"from_path", "to_path", "line", "how"}, references included (how
"reference"). --dot writes Graphviz.

With --index FILE, the records of FILE (a whole workspace) serve as the
index, and only the records on stdin are written: resolve a subset, such as
the items cited by wiki chunks, against the full repository.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line.

Examples:

	# every function with its calls and callers
	dw-rustparse ./hyperswitch | dw-callgraph > graph.jsonl

	# the edges only, and a picture of them
	dw-rustparse ./hyperswitch | dw-callgraph --format graph > edges.jsonl
	dw-rustparse ./hyperswitch/crates/router | dw-callgraph --dot | dot -Tsvg > router.svg

	# some items, resolved against the whole workspace
	dw-callgraph --index all.jsonl < some-items.jsonl
*/
package main
