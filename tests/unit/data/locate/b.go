package locate

import (
	"math/rand/v2"
	str "strings"
)

// Sel: pkg.Name of an import (the path's last element, a major version
// skipped; an alias) is a package's name; p.X is not.
func Sel(p Point) (any, any, any) {
	return rand.N[int], str.ToUpper, p.X
}

// Pair's fields: Left, Right, Len (also a method of Point's: not known to
// be a field) and the embedded Point.
type Pair struct {
	Left, Right *Point `json:"l"`
	Len         int
	*Point
}

func (p Point) Len() int { return p.X }

// Parameters moved to the heap: a receiver, a parameter on the second
// line of a generic function's signature, not a named result, not an
// unexported function's.
func (p *Pair) Swap(q *Pair) { keep = &q }

func Make[T any](
	n int, t T) (r *Pair) {
	return nil
}

func local(x int) {}

var keep **Pair
