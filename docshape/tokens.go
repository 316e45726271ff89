package docshape

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// CountTokens lexes src and returns how many tokens it has (comments not counted), stopping as
// soon as the count passes stop: a caller refuses such a document unparsed. A lexical error (an
// unterminated string, a character GraphQL does not know) is returned as gqlparser reports it.
func CountTokens(src *ast.Source, stop int) (int, error) {
	lx := lexer.New(src)
	n := 0
	for n <= stop {
		tok, err := lx.ReadToken()
		if err != nil {
			return n, err
		}
		switch tok.Kind {
		case lexer.EOF:
			return n, nil
		case lexer.Comment:
			continue
		}
		n++
	}
	return n, nil
}
