// Package web serves probes.
package web

import "example.com/layers/api"

// Handle probes with a local value.
func Handle() int {
	y := 2
	return api.Probe(&y)
}
