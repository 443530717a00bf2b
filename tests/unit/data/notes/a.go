package m

func Small(x int) int { return x + 1 }

func Big(xs []int) int {
	s := 0
	for i := range xs {
		s += xs[i] * 3
		if s > 100 {
			s -= xs[0]
		}
		s ^= i
		s += xs[i] & 7
		s += xs[i] | 9
		s += xs[i] << 2
		s += xs[i] >> 1
		s += xs[i] % 5
		s += xs[i] / 3
	}
	return s
}

type T struct{ v []int }

func (t *T) Get(i int) int { return t.v[i] }

func Use(xs []int, t *T) int {
	a := Small(3) + Big(xs)
	b := t.Get(1) + xs[2]
	c := xs[1:3]
	return a + b + len(c)
}

func Alloc() *int {
	x := 5
	return &x
}
