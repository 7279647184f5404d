// Package repo walks a source repository the way a dataset builder should:
// in sorted, deterministic order, honouring .gitignore files, skipping build
// output, vendored and generated code, binary files and files outside a size
// window, and never following a symlink out of the root. Every skipped path
// is returned with its reason, so nothing disappears silently.
//
// It also reads a checkout the way a citation needs (Checkout): a file at a
// commit or in the working tree, never outside the checkout, under .git/,
// in a submodule, through a symlink or a folder; and cuts the cited lines
// of a wiki chunk, resolving partial paths (Link, and the "link" field).
// Side files (.git/HEAD, .gitignore) are read only as small regular files
// (ReadSmall).
package repo
