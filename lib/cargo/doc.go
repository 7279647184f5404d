// Package cargo reads Cargo.toml manifests: the package, its build targets
// (lib, bins, tests, examples, benches, build script — declared or found by
// cargo's auto-discovery rules), its dependencies (local path, registry, git
// or workspace-inherited) and a workspace's members, and maps each source
// file of a workspace to its crate and target. It also says what a crate is
// for (Purpose: its description, else its root file's //! docs).
package cargo
