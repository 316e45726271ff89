package volunteers

// Resolver resolves the partner subgraph from its store.
type Resolver struct {
	// Store holds the volunteers and bookings.
	Store *Store
	// OrganisationID is the partnernet global ID of the association that runs the service.
	OrganisationID string
}
