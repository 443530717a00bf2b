package p

// Empty has no fields.
type Empty struct{}

// shadow here has a size; the test package's shadow has none.
type shadow [8]byte
