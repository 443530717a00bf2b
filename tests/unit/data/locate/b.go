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
