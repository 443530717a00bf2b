// Package store keeps observations.
package store

var count int

// Observe reads the value p points to.
func Observe(p *int) int {
	count++
	return *p
}
