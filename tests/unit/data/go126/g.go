// Package g prints what Go 1.26 says and Go 1.19 cannot compile: generic
// code compiled per shape, append's backing array, a range-over-func body
// (positions the compiler does not know) and a make of zero-size elements.
package g

import (
	"fmt"
	"iter"
)

var sink any

func Box[T any](v T) any {
	return v
}

func UseBox(x int) any {
	return Box(x)
}

func Collect(n int) []int {
	var out []int
	for i := 0; i < n; i++ {
		out = append(out, i)
	}
	return out
}

func Seq(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

//go:noinline
func Each(s iter.Seq[int], f func(int)) {
	for v := range s {
		f(v)
	}
}

func Sum(s iter.Seq[int]) int {
	total := 0
	for v := range s {
		if v < 0 {
			break
		}
		total += v
	}
	return total
}

func Empty(n int) int {
	return len(make([]struct{}, n))
}

func Report(n int) {
	fmt.Println("n", n)
}

type Named struct{ name string }

func (t *Named) Log() {
	fmt.Println(t.name)
}

type Logger interface{ Logf(format string, args ...any) }

func (t *Named) Warn(l Logger) {
	l.Logf("%p", t)
}
