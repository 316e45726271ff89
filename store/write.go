package store

import (
	"strconv"
	"strings"
)

// column is one column a write sets, with the value it gets.
type column struct {
	name  string
	value any
}

// columns are the columns one INSERT or UPDATE sets, in order: the one list from which the
// statement's column list ([columns.names]), its placeholders and its arguments
// ([params.values]) are derived, so that writing one more field is one more line.
type columns []column

// names renders the column list: "a, b, c".
func (c columns) names() string {
	names := make([]string, len(c))
	for i, col := range c {
		names[i] = col.name
	}
	return strings.Join(names, ", ")
}

// params are the arguments of one statement, numbered as they are added. Build the SQL text
// first, then pass the params: Go does not order the reading of a variable against the calls of
// the same expression.
type params []any

// add adds an argument and returns its placeholder.
func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// values adds the columns' values as arguments, in order, and returns their placeholders:
// "$n, $n+1, …".
func (p *params) values(c columns) string {
	ph := make([]string, len(c))
	for i, col := range c {
		ph[i] = p.add(col.value)
	}
	return strings.Join(ph, ", ")
}
