package locate

type Path struct{}

type (
	Empty struct {
		_ [0]func()
		p Path
	}
	NotEmpty struct{ n int }
)
