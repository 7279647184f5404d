package group

// Field is the "group" field of a group record dw-group writes.
type Field struct {
	Type    string        `json:"type"`
	Key     string        `json:"key"`
	Crate   string        `json:"crate,omitempty"`
	Members []MemberField `json:"members"`
	Bytes   int           `json:"bytes"`
}

// MemberField is one record a group joins.
type MemberField struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Path  string `json:"path"`
	Bytes int    `json:"bytes"`
}

// Field describes the group for its record.
func (g Group) Field() Field {
	members := make([]MemberField, len(g.Members))
	for i, m := range g.Members {
		members[i] = MemberField{ID: m.ID, Kind: m.Kind, Path: m.Path, Bytes: len(m.Text)}
	}
	return Field{Type: g.Type, Key: g.Key, Crate: g.Crate, Members: members, Bytes: g.Bytes()}
}
