// Package hot shows the performance contracts of docs/contracts.md: each
// directive kept here, and (in the next commit) broken.
package hot

type pair struct{ a, b int }

var last *pair

// Sum adds the values without allocating.
//
//escape:none
func Sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// Scale is small enough to be inlined wherever it is called.
//
//escape:inline
func Scale(x, k int) int {
	return x * k
}

// First3 reads three values after a length test: no bounds check.
//
//escape:bce
func First3(xs []int) int {
	if len(xs) < 3 {
		return 0
	}
	return xs[0] + xs[1] + xs[2]
}

// Total calls Scale twice on one line, both inlined.
func Total(a, b int) int {
	return Scale(a, 2) + Scale(b, 3) //escape:inline
}

// At has a bounds check that its contract does not allow: broken since
// the first commit (existing).
func At(xs []int, i int) int {
	return xs[i] //escape:bce
}

// Both promises at once, kept.
//
//escape:none,inline
func Mid(a, b int) int {
	return (a + b) / 2
}

// Keep stores a new pair: the allocation is acknowledged, and no contract covers it.
func Keep(v int) {
	last = &pair{v, v} //escape:ok the pair is the cache
}
