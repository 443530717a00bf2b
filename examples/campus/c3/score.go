// Package campus is the course-registration code of the article this
// project comes from: students, their scores, and a counter.
package campus

import "log"

type Student struct {
	ID     int
	Scores []int
}

var last *int

func keep(p *int) {
	last = p
}

// Count counts the ids of a request.
func Count(ids []int) int {
	x := len(ids)
	keep(&x)
	return x
}

// NewStudent makes a student record.
func NewStudent(id int) *Student {
	s := Student{ID: id}
	return &s
}

// CalcAvgScore is the article's calcAvgScore.
func CalcAvgScore(scores []int) float64 {
	sum := 0
	for _, s := range scores {
		sum += s
	}
	avg := float64(sum) / float64(len(scores))
	log.Printf("avg: %.2f", avg)
	return avg
}
