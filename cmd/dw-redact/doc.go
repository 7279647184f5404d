/*
Dw-redact takes secrets and, on request, personal data out of records'
text before anything is trained on it, replacing each by a typed
placeholder.

Usage:

	dw-redact [flags] < records.jsonl > clean.jsonl
	dw-redact --check [flags] < records.jsonl        # for the CI of a dataset

The rules are gitleaks' default rule set (222 rules: private keys in PEM
blocks, cloud and payment API keys, GitHub, GitLab, Slack, Stripe
sk_live_/sk_test_ and other tokens, JWTs, passwords and keys in config
assignments, ...), applied as gitleaks applies them: keywords first, then
each rule's expression, its entropy threshold, stop words and allowlists.
Three rules of ours add what a training set must not keep and that set
leaves out:

	url-credentials      the password of user:password@ in a URL
	                     (placeholders such as $PASS, <password>, xxx kept)
	high-entropy-string  a string literal ("..." or '...') without spaces of
	                     --min-literal (24) or more characters whose Shannon
	                     entropy is --entropy (4.3) bits per character or more
	email, ip-address    with --pii: e-mail addresses (not example.com and
	                     the like) and IPv4/IPv6 addresses (not loopback,
	                     documentation ranges, masks, 1.2.3.4)

Each finding is replaced by <SECRET:RULE> (<PII:email>, <PII:ip-address>);
the same secret gets the same placeholder everywhere in a record, and a
second distinct secret of the same rule gets <SECRET:RULE:2>, and so on.
The fields cleaned are --fields (default text), dotted paths reaching into
objects and through arrays at any step (rust.docs; messages.content cleans
every message's content; a list of strings, each of them); a record without
one, or where it is no string, is left alone, and a path no record has is
said at the end. A record that changed gets a field "redacted":
{"findings", "rules": {RULE: N}, "stale": [...]}, where stale lists the
fields it has that describe its text by offsets or counts (fim, window,
tokens, source.start_byte, source.end_byte) and no longer do: redact
before dw-tokwindow and dw-fim to keep them true. Redacted again, a
record's counts add up, and new secrets are numbered after the
placeholders its text holds.

Secret values never appear on stderr or in the report. --report FILE
gets {"records", "records_changed", "findings": {RULE: N},
"records_per_rule": {RULE: N}, "fields"}; stderr ends with the same
counts. --check writes no records: it lists every record that would
change (file, line, id and its rules, no values) and exits 1 if there is
any.

Exit status: 0 when all went well, 1 after bad input lines (reported;
--fail-fast stops at the first) or, with --check, when anything would be
redacted, 2 for a bad command line.

Examples:

	# clean the items before windowing and FIM
	dw-rustparse ./hyperswitch | dw-redact --report redact.json | dw-tokwindow --max 4k | dw-fim > fim.jsonl

	# also e-mail and IP addresses, in the docs too
	dw-redact --pii --fields text,rust.docs < items.jsonl > clean.jsonl

	# fail the dataset's CI when a secret slipped through
	dw-redact --check -i train.jsonl.zst
*/
package main
