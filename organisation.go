package partnernet

import (
	"io"
	"time"
)

// Municipality is one of the 33 municipalities of Skåne.
type Municipality struct {
	ID   int64
	Code string // official four-digit code, e.g. "1280" for Malmö
	Name string
}

// Programme is one of the partnership's methods (SHK, NAD, …).
type Programme struct {
	ID          int64
	Code        ProgrammeCode
	Name        string
	NameSv      string
	Description string
}

// Organisation is a partner of the network.
type Organisation struct {
	ID                 int64
	Slug               string // stable URL-safe handle, e.g. "malmo"
	Name               string
	ShortName          *string
	Kind               OrganisationKind
	Sector             Sector
	HomeMunicipalityID *int64
	Website            *string
	// Description says what the organisation does in the network; ContactEmail, ContactPhone
	// and Address how to reach it. Its own admins keep them (its profile).
	Description  string
	ContactEmail *string
	ContactPhone *string
	Address      *string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ProgrammeParticipation says that an organisation takes part in a programme, and how.
type ProgrammeParticipation struct {
	OrganisationID int64
	ProgrammeID    int64
	Role           ParticipationRole
}

// OrganisationKind says what sort of body an organisation is.
type OrganisationKind string

// The kinds of organisation in the network.
const (
	KindMunicipality              OrganisationKind = "MUNICIPALITY"
	KindCountyBoard               OrganisationKind = "COUNTY_BOARD"
	KindRegion                    OrganisationKind = "REGION"
	KindStateAgency               OrganisationKind = "STATE_AGENCY"
	KindUniversity                OrganisationKind = "UNIVERSITY"
	KindAssociation               OrganisationKind = "ASSOCIATION"
	KindAdultEducationAssociation OrganisationKind = "ADULT_EDUCATION_ASSOCIATION"
	KindSportsFederation          OrganisationKind = "SPORTS_FEDERATION"
	KindUmbrella                  OrganisationKind = "UMBRELLA"
)

// Values lists every OrganisationKind.
func (OrganisationKind) Values() []string {
	return []string{
		"MUNICIPALITY", "COUNTY_BOARD", "REGION", "STATE_AGENCY", "UNIVERSITY", "ASSOCIATION",
		"ADULT_EDUCATION_ASSOCIATION", "SPORTS_FEDERATION", "UMBRELLA",
	}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *OrganisationKind) UnmarshalGQL(v any) error { return unmarshalEnum(k, v) }

// MarshalGQL implements graphql.Marshaler.
func (k OrganisationKind) MarshalGQL(w io.Writer) { marshalEnum(k, w) }

// Sector is the part of society an organisation belongs to.
type Sector string

// The sectors.
const (
	SectorPublic   Sector = "PUBLIC"
	SectorCivic    Sector = "CIVIC"
	SectorAcademic Sector = "ACADEMIC"
)

// Values lists every Sector.
func (Sector) Values() []string { return []string{"PUBLIC", "CIVIC", "ACADEMIC"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *Sector) UnmarshalGQL(v any) error { return unmarshalEnum(s, v) }

// MarshalGQL implements graphql.Marshaler.
func (s Sector) MarshalGQL(w io.Writer) { marshalEnum(s, w) }

// ProgrammeCode names one of the partnership's methods.
type ProgrammeCode string

// The programmes.
const (
	ProgrammeSHK     ProgrammeCode = "SHK"
	ProgrammeWelcome ProgrammeCode = "WELCOME"
	ProgrammeNAD     ProgrammeCode = "NAD"
	ProgrammeMILSA   ProgrammeCode = "MILSA"
	ProgrammeRADRUM  ProgrammeCode = "RADRUM"
	ProgrammeMYPATH  ProgrammeCode = "MYPATH"
)

// Values lists every ProgrammeCode.
func (ProgrammeCode) Values() []string {
	return []string{"SHK", "WELCOME", "NAD", "MILSA", "RADRUM", "MYPATH"}
}

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *ProgrammeCode) UnmarshalGQL(v any) error { return unmarshalEnum(c, v) }

// MarshalGQL implements graphql.Marshaler.
func (c ProgrammeCode) MarshalGQL(w io.Writer) { marshalEnum(c, w) }

// ParticipationRole says how an organisation takes part in a programme.
type ParticipationRole string

// The participation roles.
const (
	RoleLead    ParticipationRole = "LEAD"
	RolePartner ParticipationRole = "PARTNER"
)

// Values lists every ParticipationRole.
func (ParticipationRole) Values() []string { return []string{"LEAD", "PARTNER"} }

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *ParticipationRole) UnmarshalGQL(v any) error { return unmarshalEnum(r, v) }

// MarshalGQL implements graphql.Marshaler.
func (r ParticipationRole) MarshalGQL(w io.Writer) { marshalEnum(r, w) }

// IsEntity marks Organisation as a federation entity.
func (Organisation) IsEntity() {}

// IsEntity marks Municipality as a federation entity.
func (Municipality) IsEntity() {}

// IsEntity marks Programme as a federation entity.
func (Programme) IsEntity() {}
