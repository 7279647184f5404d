// Package mine finds patterns in a Rust workspace's items — serde types,
// diesel schemas and enums, macros, validation, async functions by purpose,
// error handling, conversions, impls by trait, connector routing, the most
// important functions — and makes natural samples of them: the real code
// with its context, no labels in the text, and instruction samples whose
// answers are real code.
package mine
