package p_test

// shadow is declared by the external test package only.
type shadow struct{}

func helper() *shadow {
	s := shadow{}
	return &s
}
