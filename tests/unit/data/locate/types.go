package locate

type Path struct{}

type (
	Empty struct {
		_ [0]func()
		p Path
	}
	NotEmpty struct{ n int }
)

// Literals: a map type through a name declared in a.go, a slice type
type (
	Table table
	Names []string
)
