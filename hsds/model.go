package hsds

// The objects of HSDS 3.0 the API serves and reads, with the fields it uses; their JSON is
// valid against the official schemas in hsds3/ (tests validate every response). Optional fields
// are left out when empty.

// Service is an HSDS service: one activity.
type Service struct {
	ID                     string              `json:"id"`
	OrganizationID         string              `json:"organization_id,omitempty"`
	ProgramID              string              `json:"program_id,omitempty"`
	Name                   string              `json:"name"`
	AlternateName          string              `json:"alternate_name,omitempty"`
	Description            string              `json:"description,omitempty"`
	URL                    string              `json:"url,omitempty"`
	Email                  string              `json:"email,omitempty"`
	Status                 string              `json:"status"`
	InterpretationServices string              `json:"interpretation_services,omitempty"`
	ApplicationProcess     string              `json:"application_process,omitempty"`
	FeesDescription        string              `json:"fees_description,omitempty"`
	EligibilityDescription string              `json:"eligibility_description,omitempty"`
	MinimumAge             *int                `json:"minimum_age,omitempty"`
	MaximumAge             *int                `json:"maximum_age,omitempty"`
	Alert                  string              `json:"alert,omitempty"`
	LastModified           string              `json:"last_modified,omitempty"`
	Phones                 []Phone             `json:"phones,omitempty"`
	Schedules              []Schedule          `json:"schedules,omitempty"`
	ServiceAreas           []ServiceArea       `json:"service_areas,omitempty"`
	ServiceAtLocations     []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages              []Language          `json:"languages,omitempty"`
	Organization           *Organization       `json:"organization,omitempty"`
	CostOptions            []CostOption        `json:"cost_options,omitempty"`
	Program                *Program            `json:"program,omitempty"`
	Contacts               []Contact           `json:"contacts,omitempty"`
	Attributes             []Attribute         `json:"attributes,omitempty"`
}

// Organization is an HSDS organization: a partner of the network.
type Organization struct {
	ID                      string                   `json:"id"`
	Name                    string                   `json:"name"`
	AlternateName           string                   `json:"alternate_name,omitempty"`
	Description             string                   `json:"description"`
	Website                 string                   `json:"website,omitempty"`
	Programs                []Program                `json:"programs,omitempty"`
	OrganizationIdentifiers []OrganizationIdentifier `json:"organization_identifiers,omitempty"`
	// Services are the services the organisation provides (organises or co-organises): their
	// one-to-one fields, or each in full with full_service=true. An addition the OpenAPI
	// description names ("Fully nested organization with service array").
	Services []Service `json:"services,omitempty"`
}

// OrganizationIdentifier is an official identifier of an organisation.
type OrganizationIdentifier struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// Program is an HSDS program: one of the partnership's methods (SHK, NAD, …).
type Program struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	AlternateName string `json:"alternate_name,omitempty"`
	Description   string `json:"description"`
}

// ServiceAtLocation is where a service is delivered: an activity at its location.
type ServiceAtLocation struct {
	ID          string     `json:"id"`
	ServiceID   string     `json:"service_id,omitempty"`
	LocationID  string     `json:"location_id,omitempty"`
	Description string     `json:"description,omitempty"`
	Schedules   []Schedule `json:"schedules,omitempty"`
	Location    *Location  `json:"location,omitempty"`
	// Service is the service delivered, in the list and by id (the compiled list schema names it).
	Service *Service `json:"service,omitempty"`
}

// Location is an HSDS location: a place with an address and coordinates, or a link online.
type Location struct {
	ID            string          `json:"id"`
	LocationType  string          `json:"location_type"`
	URL           string          `json:"url,omitempty"`
	Name          string          `json:"name,omitempty"`
	Description   string          `json:"description,omitempty"`
	Latitude      *float64        `json:"latitude,omitempty"`
	Longitude     *float64        `json:"longitude,omitempty"`
	Addresses     []Address       `json:"addresses,omitempty"`
	Accessibility []Accessibility `json:"accessibility,omitempty"`
}

// Address is an HSDS address.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Accessibility tells how accessible a location is.
type Accessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Description string `json:"description,omitempty"`
}

// Schedule is an HSDS schedule: when a service takes place, as RFC 5545 rule parts.
type Schedule struct {
	ID            string `json:"id"`
	ServiceID     string `json:"service_id,omitempty"`
	ValidFrom     string `json:"valid_from,omitempty"`
	ValidTo       string `json:"valid_to,omitempty"`
	DTStart       string `json:"dtstart,omitempty"`
	Timezone      *int   `json:"timezone,omitempty"`
	Until         string `json:"until,omitempty"`
	Count         *int   `json:"count,omitempty"`
	Wkst          string `json:"wkst,omitempty"`
	Freq          string `json:"freq,omitempty"`
	Interval      *int   `json:"interval,omitempty"`
	ByDay         string `json:"byday,omitempty"`
	ByWeekNo      string `json:"byweekno,omitempty"`
	ByMonthDay    string `json:"bymonthday,omitempty"`
	ByYearDay     string `json:"byyearday,omitempty"`
	Description   string `json:"description,omitempty"`
	OpensAt       string `json:"opens_at,omitempty"`
	ClosesAt      string `json:"closes_at,omitempty"`
	AttendingType string `json:"attending_type,omitempty"`
	Notes         string `json:"notes,omitempty"`
}

// ServiceArea is a municipality whose residents a service serves.
type ServiceArea struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Extent      string `json:"extent,omitempty"`
	ExtentType  string `json:"extent_type,omitempty"`
}

// Language is a language spoken at a service.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
}

// CostOption is what taking part in a service costs.
type CostOption struct {
	ID                string `json:"id"`
	ServiceID         string `json:"service_id,omitempty"`
	Option            string `json:"option,omitempty"`
	Currency          string `json:"currency,omitempty"`
	Amount            *int   `json:"amount,omitempty"`
	AmountDescription string `json:"amount_description,omitempty"`
}

// Contact is whom to ask about a service.
type Contact struct {
	ID        string  `json:"id"`
	ServiceID string  `json:"service_id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Email     string  `json:"email,omitempty"`
	Phones    []Phone `json:"phones,omitempty"`
}

// Phone is a telephone number.
type Phone struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	ContactID string `json:"contact_id,omitempty"`
	Number    string `json:"number"`
	Type      string `json:"type,omitempty"`
}

// Attribute links a service to a taxonomy term.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	Value          string        `json:"value,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyObject is an HSDS taxonomy.
type TaxonomyObject struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version,omitempty"`
}

// TaxonomyTerm is an HSDS taxonomy term.
type TaxonomyTerm struct {
	ID             string          `json:"id"`
	Code           string          `json:"code,omitempty"`
	Name           string          `json:"name"`
	Description    string          `json:"description"`
	Taxonomy       string          `json:"taxonomy,omitempty"`
	TaxonomyDetail *TaxonomyObject `json:"taxonomy_detail,omitempty"`
	Language       string          `json:"language,omitempty"`
	TaxonomyID     string          `json:"taxonomy_id,omitempty"`
}

// Root is the answer of the API's root: the HSDS version and profile it follows.
type Root struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`
	OpenAPIURL string `json:"openapi_url"`
}

// Page is one page of a list, as the HSDS OpenAPI description's Page schema has it.
type Page[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}
