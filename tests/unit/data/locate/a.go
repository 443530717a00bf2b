package locate

import (
	"errors"
	"fmt"
)

var ErrA = errors.New("a")

var (
	ErrB, ErrC = errors.New("b"), errors.New("c")
	table      = map[string]*int{}
	handler    = func() *Point { return &Point{} }
)

type Point struct{ X, Y int }

func init() {
	for i := 0; i < 3; i++ {
		table[fmt.Sprint(i)] = new(int)
	}
	go func() { _ = &Point{} }()
}

func Loops(xs []int) (out []*int) {
	for _, x := range []int{1, 2} {
		v := x
		out = append(out, &v)
	}
	for i := range xs {
		f := func() *int { n := i; return &n }
		out = append(out, f())
	}
	s := `raw
//escape:ok inside a raw string
`; p := &Point{} //escape:ok after the raw string
	_ = s
	_ = p
	return out
}

func Zero(e Empty) (*Path, *Empty, *[0]int, *NotEmpty) {
	p := Path{}
	var a [0]int
	n := NotEmpty{}
	return &p, &e, &a, &n
}

type table map[string]int

func Literals() (Table, table, Names, Point) {
	return Table{}, table{"a": 1}, Names{}, Point{}
}

func Boxed() (interface{}, interface{}, interface{}) {
	return Path{}, struct{}{}, NotEmpty{}
}
