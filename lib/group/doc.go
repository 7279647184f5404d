// Package group gathers files and items of a Rust workspace into larger
// training units: a module (the files of one folder), a whole crate, the
// small files of a folder in batches, every impl of one type, a trait with
// its supertraits and implementors, and what each crate uses of the others.
// Members come in a fixed order, so the same input gives the same groups.
package group
