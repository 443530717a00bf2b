package main

import (
	"fmt"
	"log"
	"sort"
)

type Point struct{ X, Y int }

type Pool struct{ items []*Point }

func (p *Pool) Put(x *Point) { p.items = append(p.items, x) }

var sink interface{}
var global *Point

// NewPoint returns the address of a local: moved to heap.
func NewPoint(x, y int) *Point {
	p := Point{x, y}
	return &p
}

// Identity leaks its parameter to the result.
func Identity(p *Point) *Point { return p }

// Store leaks to the heap and to the result.
func Store(p *Point) *Point {
	global = p
	return p
}

// Content leaks the content only.
func Content(s []*Point) {
	global = s[0]
}

func Logf(n int, name string) {
	log.Printf("n=%d (%s)", n, name)
}

func Methods(pool *Pool) {
	q := Point{1, 2}
	pool.Put(&q)
}

func Sorted(xs []int) {
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
}

func Paren(n int) {
	sink = fmt.Sprint("a(b)c", n)
}

func Closure() func() int {
	c := 0
	return func() int {
		c++
		return c
	}
}

type Node struct{ next *Node }

func Cycle() {
	a := &Node{}
	b := &Node{}
	a.next = b
	b.next = a
	sink = a
}

func main() {
	fmt.Println(NewPoint(1, 2), Identity(nil), Store(nil))
	Content(nil)
	Logf(1, "x")
	Methods(&Pool{})
	Sorted(nil)
	Paren(3)
	fmt.Println(Closure()())
	Cycle()
}
