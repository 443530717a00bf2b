package locate

import (
	"example.com/mod/locate/kinds"
	k2 "example.com/mod/locate/kinds"
)

// Literals of another package's types, in locate/kinds/.
var lits = []any{kinds.Table{}, k2.List{1}}
