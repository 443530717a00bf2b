// Package api probes the store.
package api

import "example.com/layers/store"

func probe() int {
	x := 1
	return store.Observe(&x)
}

// Probe passes its pointer on to the store.
func Probe(p *int) int {
	return store.Observe(p) + probe()
}
