// Package cold calls hot across the package boundary, with a contract of
// its own and no bounds-check directive: it is built with the flags it
// would have without contracts.
package cold

import "example.com/hotpath/hot"

// Twice inlines hot.Mid.
func Twice(a, b int) int {
	return hot.Mid(a, b) * 2 //escape:inline
}
