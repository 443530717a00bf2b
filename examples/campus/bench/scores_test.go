// A benchmark of the campus package at c4 (copied into campus/ by the
// profile test and docs/report.md): a request makes a student record per
// id and counts the ids once, so of the two escapes it runs, NewStudent's
// `moved to heap: s` allocates on every iteration and Count's
// `moved to heap: x` once per request.  Record its heap profile with
//   go test -run '^$' -bench . -benchtime 2000x -memprofilerate 1 -memprofile mem.out ./campus
package campus

import "testing"

var sink *Student

func handle(ids []int) int {
	for _, id := range ids {
		sink = NewStudent(id)
	}
	return Count(ids)
}

func BenchmarkRequest(b *testing.B) {
	ids := make([]int, 64)
	for i := range ids {
		ids[i] = i
	}
	for i := 0; i < b.N; i++ {
		handle(ids)
	}
}
