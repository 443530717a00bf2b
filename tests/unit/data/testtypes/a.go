package p

// New returns a value of a type the package itself declares.
func New() *Empty {
	e := Empty{}
	return &e
}

// Odd names a type that only the external test package declares (the
// package alone would not build: the locate reads text, not types).
func Odd() *shadow {
	s := shadow{}
	return &s
}
