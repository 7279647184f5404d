// Package rust extracts items from Rust source with tree-sitter: functions
// (free, methods, trait methods with or without a body), structs, enums,
// unions, traits, impls, modules, macro_rules, consts, statics and type
// aliases, each with its exact byte and line span, visibility, modifiers,
// attributes, doc comments, signature parts and impl context, plus the
// `mod` declarations that shape the module tree.
//
// Spans are byte offsets into the original source: an item's span starts at
// its first attached outer attribute or doc comment and ends at its last
// byte, so slicing the source with it is always exact, whatever the
// characters.
package rust
