package resolvers

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/graph/model"
)

// Limits of the registry's inputs.
const (
	maxNameLen       = 200
	maxFamilyMembers = 30
	maxNoteLen       = 5000
	maxHealthLen     = 10000
)

var (
	emailPattern    = regexp.MustCompile(`^[^@\s]{1,64}@[^@\s]{1,189}$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// birthYear validates an optional year of birth at field.
func birthYear(field string, y *int, now time.Time) error {
	if y != nil && (*y < 1900 || *y > now.Year()) {
		return partnernet.InputError(field, "give a year between 1900 and %d", now.Year())
	}
	return nil
}

// registrationOf validates a RegisterNewcomerInput into a registration in municipality
// municipalityID, controlled by organisation controllerID.
func (r *Resolver) registrationOf(ctx context.Context, in model.RegisterNewcomerInput, controllerID, municipalityID int64, now time.Time) (partnernet.Registration, error) {
	var reg partnernet.Registration
	n := &reg.Newcomer
	n.ControllerID, n.MunicipalityID, n.Gender = controllerID, municipalityID, in.Gender
	var err error
	if n.DisplayName, err = partnernet.Text("input.displayName", in.DisplayName, maxNameLen, true); err != nil {
		return reg, err
	}
	if err := birthYear("input.birthYear", in.BirthYear, now); err != nil {
		return reg, err
	}
	n.BirthYear = in.BirthYear
	n.ArrivalDate, n.PlanStartDate = in.ArrivalDate.Time(), in.PlanStartDate.Time()
	if n.ArrivalDate != nil && n.ArrivalDate.After(now) {
		return reg, partnernet.InputError("input.arrivalDate", "the arrival cannot be in the future")
	}
	if n.ArrivalDate != nil && n.PlanStartDate != nil && n.PlanStartDate.Before(*n.ArrivalDate) {
		return reg, partnernet.InputError("input.planStartDate", "the plan cannot start before the arrival")
	}
	if n.ResidenceMunicipalityID, err = r.municipalityID(ctx, "input.residenceMunicipalityCode", in.ResidenceMunicipalityCode); err != nil {
		return reg, err
	}
	if c := in.Contact; c != nil {
		contact := partnernet.NewcomerContact{}
		if contact.Phone, err = partnernet.OptionalText("input.contact.phone", c.Phone, 30); err != nil {
			return reg, err
		}
		if contact.Phone != nil && !partnernet.PhonePattern.MatchString(*contact.Phone) {
			return reg, partnernet.InputError("input.contact.phone", "give a phone number of digits, spaces, ( ) and -")
		}
		if contact.Email, err = partnernet.OptionalText("input.contact.email", c.Email, 254); err != nil {
			return reg, err
		}
		if contact.Email != nil && !emailPattern.MatchString(*contact.Email) {
			return reg, partnernet.InputError("input.contact.email", "give an email address such as name@example.se")
		}
		if contact.PostalAddress, err = partnernet.OptionalText("input.contact.postalAddress", c.PostalAddress, 500); err != nil {
			return reg, err
		}
		reg.Contact = &contact
	}
	if len(in.Family) > maxFamilyMembers {
		return reg, partnernet.InputError("input.family", "at most %d household members", maxFamilyMembers)
	}
	for i, f := range in.Family {
		field := fmt.Sprintf("input.family.%d", i)
		m := partnernet.FamilyMember{Relation: f.Relation, BirthYear: f.BirthYear, InSweden: f.InSweden == nil || *f.InSweden}
		if m.Name, err = partnernet.Text(field+".name", f.Name, maxNameLen, true); err != nil {
			return reg, err
		}
		if err := birthYear(field+".birthYear", f.BirthYear, now); err != nil {
			return reg, err
		}
		reg.Family = append(reg.Family, m)
	}
	if len(in.Languages) > partnernet.MaxLanguages {
		return reg, partnernet.InputError("input.languages", "at most %d languages", partnernet.MaxLanguages)
	}
	seen := map[string]bool{}
	for i, l := range in.Languages {
		if !languagePattern.MatchString(l.Language) || seen[l.Language] {
			return reg, partnernet.InputError(fmt.Sprintf("input.languages.%d.language", i), "give each language once, as an ISO 639 code such as ar or ti")
		}
		seen[l.Language] = true
		reg.Languages = append(reg.Languages, partnernet.LanguageSkill{Language: l.Language, Proficiency: l.Proficiency})
	}
	if notes, err := partnernet.OptionalText("input.healthNotes", in.HealthNotes, maxHealthLen); err != nil {
		return reg, err
	} else if notes != nil {
		reg.Health = &partnernet.NewcomerHealth{Notes: *notes}
	}
	if b := in.Background; b != nil {
		bg := partnernet.NewcomerBackground{EducationLevel: b.EducationLevel, YearsOfWork: b.YearsOfWork}
		if bg.Occupation, err = partnernet.OptionalText("input.background.occupation", b.Occupation, maxNameLen); err != nil {
			return reg, err
		}
		if bg.Notes, err = partnernet.OptionalText("input.background.notes", b.Notes, maxNoteLen); err != nil {
			return reg, err
		}
		if b.YearsOfWork != nil && (*b.YearsOfWork < 0 || *b.YearsOfWork > 80) {
			return reg, partnernet.InputError("input.background.yearsOfWork", "give 0 to 80 years")
		}
		reg.Background = &bg
	}
	return reg, nil
}

// registeringMunicipality returns the municipality whose organisation the caller acts for, after
// checking that the caller may register newcomers there.
func (r *Resolver) registeringMunicipality(ctx context.Context) (*partnernet.Organisation, error) {
	p := authz.PrincipalFrom(ctx)
	if err := r.Authz.Authorize(ctx, authz.NewcomerRegister, authz.Write, p.OrganisationID); err != nil {
		return nil, err
	}
	org, err := r.Store.OrganisationGetMany(ctx, []int64{p.OrganisationID})
	if err != nil {
		return nil, err
	}
	if len(org) == 0 || org[0].Kind != partnernet.KindMunicipality || org[0].HomeMunicipalityID == nil {
		return nil, partnernet.Errorf(partnernet.CodeForbidden, "only a municipality registers newcomers")
	}
	return &org[0], nil
}

// mergeable loads a record to merge by global ID at field: it must exist, be live and be
// controlled by the caller's organisation, else it is as unknown.
func (r *Resolver) mergeable(ctx context.Context, field, gid string) (*partnernet.Newcomer, error) {
	return r.newcomerArg(ctx, field, gid, "merge records", r.seesNewcomer(ctx, func(n *partnernet.Newcomer) error {
		return r.Authz.Authorize(ctx, authz.NewcomerMerge, authz.Write, n.ControllerID)
	}))
}
