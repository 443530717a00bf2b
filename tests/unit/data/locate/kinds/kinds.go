package kinds

type Table map[string]int

type List []int
