package volunteers

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/partnerskap-skane/partnernet/examples/volunteers/graph"
)

// Handler serves the subgraph at /graphql: the store behind the resolvers, the verifier in front.
func Handler(r *Resolver, v *Verifier) http.Handler {
	gql := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: r}))
	gql.AddTransport(transport.POST{})
	gql.Use(extension.Introspection{}) // _service { sdl }, for composition
	mux := http.NewServeMux()
	mux.Handle("/graphql", v.Middleware(gql))
	return mux
}
