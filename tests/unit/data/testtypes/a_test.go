package p_test

type shadow struct{}

type Empty [16]byte

func helper() *shadow {
	s := shadow{}
	return &s
}
