// Package store keeps observations.
package store

var count int

var last int

// Observe reads the value p points to, and keeps a copy.
func Observe(p *int) int {
	count++
	last = *p
	return *p
}

// Reset forgets the count; no function's escape summary changes.
func Reset() {
	count = 0
}
