// Package hot shows the performance contracts of docs/contracts.md: each
// directive kept here, and (in the next commit) broken.
package hot

type pair struct{ a, b int }

var last *pair

// Sum adds the values, and now returns a pointer: the contract breaks.
//
//escape:none
func Sum(xs []int) *int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return &s
}

// Scale grew past the inlining budget: the contract breaks.
//
//escape:inline
func Scale(x, k int) int {
	for i := 0; i < k; i++ {
		x = x*k + i
		x ^= x >> 3
		x += x << 2
		x -= i * k
		x |= k
		x &= 0xffff
		x += x % 7
		x -= x / 5
		x ^= x << 5
		x += i % 3
		x -= x >> 7
		x *= 3
		x += k % (i + 1)
		x ^= x >> 11
		x -= k << 3
		x += i * i
	}
	return x * k
}

// First3 lost the length test: the reads are checked again.
//
//escape:bce
func First3(xs []int) int {
	return xs[0] + xs[1] + xs[2]
}

// Total calls Scale twice on one line, no longer inlined.
func Total(a, b int) int {
	return Scale(a, 2) + Scale(b, 3) //escape:inline
}

// At now proves the index in range: its contract holds again (fixed).
func At(xs []int, i int) int {
	if uint(i) < uint(len(xs)) {
		return xs[i] //escape:bce
	}
	return 0
}

// Both promises at once, kept.
//
//escape:none,inline
func Mid(a, b int) int {
	return (a + b) / 2
}

// Keep stores a new pair; the acknowledgement does not silence the contract.
func Keep(v int) {
	//escape:ok the pair is the cache
	last = &pair{v, v} //escape:none
}

// Misspelt is a contract with a word that is no directive.
//
//escape:noalloc
func Misspelt() {}

// Empty has a contract on a line with nothing to check.
func Empty(n int) int {
	//escape:bce
	return n + 1
}
