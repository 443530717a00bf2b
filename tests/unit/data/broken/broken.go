package broken

func Leak() *int {
	x := 1
	return &x
}

func Bad() int {
	return "not an int"
}
