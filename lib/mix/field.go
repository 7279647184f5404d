package mix

// Field is the "mix" field dw-mix writes on every record: the source it
// came from (the file as given) and, with dedup, how many records it stands
// for, itself included.
type Field struct {
	Source    string `json:"source"`
	StandsFor int    `json:"stands_for,omitempty"`
}

// ReportLine is one line of dw-mix --dedup-report: a record dropped, why,
// and the record it duplicates or the evaluation text it shares an n-gram
// with.
type ReportLine struct {
	ID         string   `json:"id"`
	Source     string   `json:"source"`
	Line       int      `json:"line"`
	Reason     string   `json:"reason"`
	Kept       *Where   `json:"kept,omitempty"`
	Similarity *float64 `json:"similarity,omitempty"`
	Eval       string   `json:"eval,omitempty"`
	Ngram      string   `json:"ngram,omitempty"`
}

// Where is a record by its id, input and line.
type Where struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Line   int    `json:"line"`
}
