package mix

// Field is the "mix" field dw-mix writes on every record: the source it
// came from (the file as given) and, with dedup, how many records it stands
// for, itself included.
type Field struct {
	Source    string `json:"source"`
	StandsFor int    `json:"stands_for,omitempty"`
}
