package sub

type L[K comparable] struct{ m map[K]*int }

func (l *L[K]) Get(k K) *int {
	v := 0
	if p, ok := l.m[k]; ok {
		return p
	}
	return &v
}

func Make() *L[string] { return &L[string]{m: map[string]*int{}} }

var Fn = func() *int { x := 1; return &x }
