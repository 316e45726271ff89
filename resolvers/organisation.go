package resolvers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/graph/model"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
)

// Limits of an organisation's inputs.
const (
	maxSlugLen        = 64
	maxShortNameLen   = 50
	maxWebsiteLen     = 500
	maxDescriptionLen = 2000
)

// slugPattern is an organisation's slug: lower-case words of letters and digits joined by
// hyphens, as the database's CHECK has it.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// slugOf validates a new organisation's slug at input.slug.
func slugOf(s string) (string, error) {
	if len(s) > maxSlugLen || !slugPattern.MatchString(s) {
		return "", partnernet.InputError("input.slug", "give 1 to %d lower-case letters, digits and single hyphens, such as malmo or radda-barnen", maxSlugLen)
	}
	return s, nil
}

// organisationOf validates what an organisation is (OrganisationInput at input.organisation)
// into o, and returns the programmes it takes part in.
func (r *Resolver) organisationOf(ctx context.Context, in model.OrganisationInput, o *partnernet.Organisation) ([]partnernet.ProgrammeParticipation, error) {
	const prefix = "input.organisation"
	var err error
	if o.Name, err = partnernet.Text(prefix+".name", in.Name, partnernet.MaxTitleLen, true); err != nil {
		return nil, err
	}
	o.Kind, o.Sector = in.Kind, in.Sector
	if o.HomeMunicipalityID, err = r.municipalityID(ctx, prefix+".homeMunicipalityCode", in.HomeMunicipalityCode); err != nil {
		return nil, err
	}
	if o.Kind == partnernet.KindMunicipality && o.HomeMunicipalityID == nil {
		return nil, partnernet.InputError(prefix+".homeMunicipalityCode", "a municipality's organisation names its municipality")
	}
	programmes := partnernet.ProgrammeCode("").Values()
	if len(in.Participations) > len(programmes) {
		return nil, partnernet.InputError(prefix+".participations", "at most %d programmes", len(programmes))
	}
	parts := make([]partnernet.ProgrammeParticipation, 0, len(in.Participations))
	seen := map[partnernet.ProgrammeCode]bool{}
	for i, p := range in.Participations {
		field := fmt.Sprintf("%s.participations.%d.programme", prefix, i)
		if seen[p.Programme] {
			return nil, partnernet.InputError(field, "name each programme once")
		}
		seen[p.Programme] = true
		prog, err := r.Store.ProgrammeGetByCode(ctx, p.Programme)
		if errors.Is(err, partnernet.ErrNotFound) {
			return nil, partnernet.InputError(field, "the network runs no programme %s", p.Programme)
		}
		if err != nil {
			return nil, err
		}
		parts = append(parts, partnernet.ProgrammeParticipation{ProgrammeID: prog.ID, Role: p.Role})
	}
	if in.Profile != nil {
		if err := profileOf(prefix+".profile", in.Profile, o); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// profileOf validates an organisation's profile at path prefix into o.
func profileOf(prefix string, in *model.OrganisationProfileInput, o *partnernet.Organisation) error {
	var err error
	if o.ShortName, err = partnernet.OptionalText(prefix+".shortName", in.ShortName, maxShortNameLen); err != nil {
		return err
	}
	if o.Website, err = partnernet.OptionalText(prefix+".website", in.Website, maxWebsiteLen); err != nil {
		return err
	}
	if o.Website != nil {
		u, err := url.Parse(*o.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !strings.HasPrefix(*o.Website, u.Scheme+"://") {
			return partnernet.InputError(prefix+".website", "give an http(s) address such as https://example.se")
		}
	}
	o.Description = ""
	if in.Description != nil {
		if o.Description, err = partnernet.Text(prefix+".description", *in.Description, maxDescriptionLen, false); err != nil {
			return err
		}
	}
	o.ContactEmail, o.ContactPhone, o.Address = nil, nil, nil
	if c := in.Contact; c != nil {
		if o.ContactEmail, err = partnernet.OptionalText(prefix+".contact.email", c.Email, partnernet.MaxEmailLen); err != nil {
			return err
		}
		if err := partnernet.CheckEmail(prefix+".contact.email", o.ContactEmail); err != nil {
			return err
		}
		if o.ContactPhone, err = partnernet.OptionalText(prefix+".contact.phone", c.Phone, 30); err != nil {
			return err
		}
		if err := partnernet.CheckPhone(prefix+".contact.phone", o.ContactPhone); err != nil {
			return err
		}
		if o.Address, err = partnernet.OptionalText(prefix+".contact.address", c.Address, maxAddressLen); err != nil {
			return err
		}
	}
	return nil
}

// organisationArg resolves the organisation a mutation names by global ID at
// input.organisationId. Organisations are public: an unknown one is "no such organisation".
func organisationArg(ctx context.Context, gid string) (*partnernet.Organisation, error) {
	id, err := relay.DecodeID("input.organisationId", typeOrganisation, gid)
	if err != nil {
		return nil, err
	}
	o, err := nullIfMissing(loaders.For(ctx).Organisation.Load(ctx, id)())
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, partnernet.InputError("input.organisationId", "no such organisation")
	}
	return o, nil
}
