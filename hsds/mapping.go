package hsds

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/store"
)

// lastModifiedFormat is HSDS's last_modified: RFC 3339 with milliseconds, in UTC.
const lastModifiedFormat = "2006-01-02T15:04:05.000Z07:00"

// refs are what a page of activities or organisations refers to, loaded once for the page.
type refs struct {
	orgs           map[int64]partnernet.Organisation
	programmes     map[int64]partnernet.Programme
	municipalities map[int64]partnernet.Municipality
}

// load loads the organisations, programmes and municipalities of the activities and
// organisations given, in three statements.
func load(ctx context.Context, st *store.Store, acts []partnernet.Activity, orgs []partnernet.Organisation) (refs, error) {
	r := refs{orgs: map[int64]partnernet.Organisation{}, programmes: map[int64]partnernet.Programme{},
		municipalities: map[int64]partnernet.Municipality{}}
	var orgIDs, programmeIDs, municipalityIDs []int64
	for _, a := range acts {
		orgIDs = append(orgIDs, a.OrganiserID)
		programmeIDs = append(programmeIDs, a.ProgrammeID)
		if a.MunicipalityID != nil {
			municipalityIDs = append(municipalityIDs, *a.MunicipalityID)
		}
		municipalityIDs = append(municipalityIDs, a.ServiceAreaIDs...)
	}
	for _, o := range orgs {
		r.orgs[o.ID] = o
		if o.HomeMunicipalityID != nil {
			municipalityIDs = append(municipalityIDs, *o.HomeMunicipalityID)
		}
	}
	if len(orgIDs) > 0 {
		got, err := st.OrganisationGetMany(ctx, orgIDs)
		if err != nil {
			return r, err
		}
		for _, o := range got {
			r.orgs[o.ID] = o
			if o.HomeMunicipalityID != nil {
				municipalityIDs = append(municipalityIDs, *o.HomeMunicipalityID)
			}
		}
	}
	if len(programmeIDs) > 0 {
		got, err := st.ProgrammeGetMany(ctx, programmeIDs)
		if err != nil {
			return r, err
		}
		for _, p := range got {
			r.programmes[p.ID] = p
		}
	}
	if len(municipalityIDs) > 0 {
		got, err := st.MunicipalityGetMany(ctx, municipalityIDs)
		if err != nil {
			return r, err
		}
		for _, m := range got {
			r.municipalities[m.ID] = m
		}
	}
	return r, nil
}

// status is the HSDS status of an activity the public sees: a published one is active, a
// cancelled one defunct (it will not take place), a finished one inactive (it has run).
func status(s partnernet.ActivityStatus) string {
	switch s {
	case partnernet.ActivityCancelled:
		return "defunct"
	case partnernet.ActivityFinished:
		return "inactive"
	}
	return "active"
}

// alerts tell, in each language, why a service is no longer active.
var alerts = map[partnernet.ActivityStatus]Text{
	partnernet.ActivityCancelled: bilingual("Inställd.", "Cancelled."),
	partnernet.ActivityFinished:  bilingual("Avslutad.", "Finished."),
}

// mapper maps the domain to HSDS for one response: its language, the time schedules are expanded
// as of, and what the objects refer to.
type mapper struct {
	lang Lang
	now  time.Time
	refs refs
}

// serviceBrief is the service of an activity with its one-to-one fields (the list form) and
// its organisation and programme.
func (m mapper) serviceBrief(a *partnernet.Activity) Service {
	id := ID(kindService, a.ID)
	s := Service{
		ID: id, OrganizationID: ID(kindOrganization, a.OrganiserID), ProgramID: ID(kindProgram, a.ProgrammeID),
		Name:                   bilingual(a.Title, a.TitleEn).In(m.lang),
		Description:            bilingual(a.Description, a.DescriptionEn).In(m.lang),
		Status:                 status(a.Status),
		InterpretationServices: a.InterpretationServices,
		ApplicationProcess:     a.ApplicationProcess,
		FeesDescription:        m.fees(a),
		EligibilityDescription: m.eligibility(a),
		MinimumAge:             a.MinAge, MaximumAge: a.MaxAge,
		Alert:        alerts[a.Status].In(m.lang),
		LastModified: a.UpdatedAt.UTC().Format(lastModifiedFormat),
	}
	if m.lang != Langs[0] {
		s.AlternateName = a.Title // the name in Swedish, as its organiser gave it
	} else if a.TitleEn != a.Title {
		s.AlternateName = a.TitleEn
	}
	if a.ContactEmail != nil {
		s.Email = *a.ContactEmail
	}
	if o, ok := m.refs.orgs[a.OrganiserID]; ok {
		org := m.organization(&o)
		s.Organization = &org
	}
	if p, ok := m.refs.programmes[a.ProgrammeID]; ok {
		prog := m.program(&p)
		s.Program = &prog
	}
	return s
}

// service is the fully nested service of an activity: the brief one with its schedules,
// location, service areas, languages, cost, contacts and taxonomy terms.
func (m mapper) service(a *partnernet.Activity) (Service, error) {
	s := m.serviceBrief(a)
	var err error
	if s.Schedules, err = schedules(a, m.now, m.lang); err != nil {
		return s, err
	}
	sal := m.serviceAtLocation(a)
	sal.Service = nil
	s.ServiceAtLocations = []ServiceAtLocation{sal}
	for _, mid := range a.ServiceAreaIDs {
		mu := m.refs.municipalities[mid]
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{
			ID: ID(kindServiceArea, a.ID, mu.Code), ServiceID: s.ID, Name: mu.Name,
			Description: fmt.Sprintf(bilingual("%s kommun (kommunkod %s)", "%s municipality (code %s)").In(m.lang), mu.Name, mu.Code),
		})
	}
	for _, code := range a.Languages {
		s.Languages = append(s.Languages, Language{ID: ID(kindLanguage, a.ID, code), ServiceID: s.ID,
			Name: languageName(code, m.lang), Code: code})
	}
	amount := a.CostSEK
	option := bilingual("Avgift", "Fee")
	if a.CostSEK == 0 {
		option = bilingual("Gratis", "Free")
	}
	s.CostOptions = []CostOption{{ID: ID(kindCostOption, a.ID), ServiceID: s.ID, Option: option.In(m.lang),
		Currency: "SEK", Amount: &amount, AmountDescription: a.CostNote}}
	if a.ContactPhone != nil {
		s.Phones = []Phone{{ID: ID(kindPhone, a.ID), ServiceID: s.ID, Number: *a.ContactPhone, Type: "voice"}}
	}
	if a.ContactName != nil || a.ContactEmail != nil || a.ContactPhone != nil {
		c := Contact{ID: ID(kindContact, a.ID), ServiceID: s.ID, Phones: s.Phones}
		if a.ContactName != nil {
			c.Name = *a.ContactName
		}
		if a.ContactEmail != nil {
			c.Email = *a.ContactEmail
		}
		s.Contacts = []Contact{c}
	}
	s.Attributes = append(s.Attributes, m.attribute(a.ID, &Categories, string(a.Category)))
	for _, g := range a.TargetGroups {
		s.Attributes = append(s.Attributes, m.attribute(a.ID, &TargetGroups, string(g)))
	}
	return s, nil
}

// attribute links the activity's service to a term of a taxonomy.
func (m mapper) attribute(activityID int64, t *Taxonomy, code string) Attribute {
	term := m.term(t, code)
	return Attribute{ID: ID(kindAttribute, activityID, t.Name, code), LinkID: ID(kindService, activityID),
		TaxonomyTermID: term.ID, LinkType: t.LinkType, LinkEntity: "service", TaxonomyTerm: &term}
}

// fees describes what taking part costs.
func (m mapper) fees(a *partnernet.Activity) string {
	text := bilingual("Gratis.", "Free.").In(m.lang)
	if a.CostSEK > 0 {
		text = fmt.Sprintf("%d kr.", a.CostSEK)
	}
	if a.CostNote != "" {
		text += " " + a.CostNote
	}
	return text
}

// eligibility describes whom the activity is for: its target groups and ages.
func (m mapper) eligibility(a *partnernet.Activity) string {
	groups := make([]string, 0, len(a.TargetGroups))
	for _, g := range a.TargetGroups {
		if term, ok := TargetGroups.term(string(g)); ok {
			groups = append(groups, term.Name.In(m.lang))
		}
	}
	text := strings.Join(groups, ", ")
	var ages string
	switch {
	case a.MinAge != nil && a.MaxAge != nil:
		ages = fmt.Sprintf(bilingual("%d–%d år", "aged %d to %d").In(m.lang), *a.MinAge, *a.MaxAge)
	case a.MinAge != nil:
		ages = fmt.Sprintf(bilingual("från %d år", "aged %d and over").In(m.lang), *a.MinAge)
	case a.MaxAge != nil:
		ages = fmt.Sprintf(bilingual("upp till %d år", "aged up to %d").In(m.lang), *a.MaxAge)
	}
	if ages != "" {
		text += "; " + ages
	}
	return text
}

// serviceAtLocation is the activity at its location: a place, or a link online.
func (m mapper) serviceAtLocation(a *partnernet.Activity) ServiceAtLocation {
	loc := m.location(a)
	return ServiceAtLocation{ID: ID(kindServiceAtLocation, a.ID), ServiceID: ID(kindService, a.ID),
		LocationID: loc.ID, Location: &loc}
}

// location is where the activity takes place.
func (m mapper) location(a *partnernet.Activity) Location {
	id := ID(kindLocation, a.ID)
	if a.Online {
		l := Location{ID: id, LocationType: "virtual", Name: "Online"}
		if a.OnlineURL != nil {
			l.URL = *a.OnlineURL
		}
		return l
	}
	l := Location{ID: id, LocationType: "physical", Latitude: a.Latitude, Longitude: a.Longitude}
	var city string
	if a.MunicipalityID != nil {
		city = m.refs.municipalities[*a.MunicipalityID].Name
	}
	l.Name = city
	if a.Address != nil {
		l.Name = *a.Address
		l.Addresses = []Address{{ID: ID(kindAddress, a.ID), LocationID: id, Address1: *a.Address, City: city,
			Region: "Skåne", StateProvince: "Skåne län", PostalCode: "", Country: "SE", AddressType: "physical"}}
	}
	if a.Accessibility != "" {
		l.Accessibility = []Accessibility{{ID: ID(kindAccessibility, a.ID), LocationID: id, Description: a.Accessibility}}
	}
	return l
}

// kindNames name the kinds of organisation.
var kindNames = map[partnernet.OrganisationKind]Text{
	partnernet.KindMunicipality:              bilingual("En kommun", "A municipality"),
	partnernet.KindCountyBoard:               bilingual("En länsstyrelse", "A county administrative board"),
	partnernet.KindRegion:                    bilingual("En region", "A region"),
	partnernet.KindStateAgency:               bilingual("En statlig myndighet", "A state agency"),
	partnernet.KindUniversity:                bilingual("Ett lärosäte", "A university"),
	partnernet.KindAssociation:               bilingual("En förening", "An association"),
	partnernet.KindAdultEducationAssociation: bilingual("Ett studieförbund", "An adult-education association"),
	partnernet.KindSportsFederation:          bilingual("Ett idrottsförbund", "A sports federation"),
	partnernet.KindUmbrella:                  bilingual("En paraplyorganisation", "An umbrella organisation"),
}

// organization is an organisation's one-to-one fields.
func (m mapper) organization(o *partnernet.Organisation) Organization {
	out := Organization{ID: ID(kindOrganization, o.ID), Name: o.Name,
		Description: kindNames[o.Kind].In(m.lang) + bilingual(" i Partnerskap Skånes nätverk.", " in the Partnership Skåne network.").In(m.lang)}
	if o.ShortName != nil {
		out.AlternateName = *o.ShortName
	}
	if o.Website != nil {
		out.Website = *o.Website
	}
	return out
}

// organizationFull is an organisation with the programmes it takes part in and, for a
// municipality, its official code.
func (m mapper) organizationFull(o *partnernet.Organisation, programmeIDs []int64) Organization {
	out := m.organization(o)
	for _, pid := range programmeIDs {
		if p, ok := m.refs.programmes[pid]; ok {
			out.Programs = append(out.Programs, m.program(&p))
		}
	}
	if o.Kind == partnernet.KindMunicipality && o.HomeMunicipalityID != nil {
		if mu, ok := m.refs.municipalities[*o.HomeMunicipalityID]; ok {
			out.OrganizationIdentifiers = []OrganizationIdentifier{{ID: ID(kindOrganizationIdentifier, o.ID, "kommunkod"),
				OrganizationID: out.ID, IdentifierScheme: "SE-KOMMUNKOD", IdentifierType: "kommunkod", Identifier: mu.Code}}
		}
	}
	return out
}

// program is one of the partnership's programmes.
func (m mapper) program(p *partnernet.Programme) Program {
	return Program{ID: ID(kindProgram, p.ID), Name: bilingual(p.NameSv, p.Name).In(m.lang), AlternateName: string(p.Code),
		Description: p.Description}
}

// taxonomy is an HSDS taxonomy.
func (m mapper) taxonomy(t *Taxonomy) TaxonomyObject {
	return TaxonomyObject{ID: t.ID(), Name: t.Title.In(m.lang), Description: t.Description.In(m.lang), Version: "1"}
}

// term is the HSDS term of a taxonomy with code.
func (m mapper) term(t *Taxonomy, code string) TaxonomyTerm {
	term, _ := t.term(code)
	detail := m.taxonomy(t)
	return TaxonomyTerm{ID: t.TermID(code), Code: code, Name: term.Name.In(m.lang), Description: term.Description.In(m.lang),
		Taxonomy: t.Name, TaxonomyDetail: &detail, Language: string(m.lang), TaxonomyID: t.ID()}
}
