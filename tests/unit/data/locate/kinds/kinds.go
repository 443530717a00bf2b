package kinds

type Table map[string]int

type List []int

type Pair struct{ A, B int }

type Grid [4]Pair
