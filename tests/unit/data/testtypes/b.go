package p

// Empty has no fields.
type Empty struct{}
