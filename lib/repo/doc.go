// Package repo walks a source repository the way a dataset builder should:
// in sorted, deterministic order, honouring .gitignore files, skipping build
// output, vendored and generated code, binary files and files outside a size
// window, and never following a symlink out of the root. Every skipped path
// is returned with its reason, so nothing disappears silently.
package repo
