// Package campus is the course-registration code of the article this
// project comes from: students, their scores, and a counter.
package campus

type Student struct {
	ID     int
	Scores []int
}

var last *int

func keep(p *int) {
	_ = p
}

// Count counts the ids of a request.
func Count(ids []int) int {
	x := len(ids)
	keep(&x)
	return x
}

// CalcAvgScore is the article's calcAvgScore.
func CalcAvgScore(scores []int) float64 {
	sum := 0
	for _, s := range scores {
		sum += s
	}
	avg := float64(sum) / float64(len(scores))
	return avg
}
