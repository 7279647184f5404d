// Package redact finds secrets and personal data in text and replaces
// them with typed placeholders. The secret rules are gitleaks' (its
// default rule set, 222 rules, through its detect package: keywords,
// entropy thresholds, stop words and allowlists as gitleaks applies
// them); three rules of our own add what that set leaves out and a
// training set must not keep: credentials in URLs, high-entropy string
// literals, and, on request, e-mail and IP addresses.
package redact
