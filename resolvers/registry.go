package resolvers

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
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
	reg.Newcomer.ControllerID, reg.Newcomer.MunicipalityID = controllerID, municipalityID
	var err error
	if err = r.identityOf(ctx, "input", identityInput{
		displayName: in.DisplayName, birthYear: in.BirthYear, gender: in.Gender, arrivalDate: in.ArrivalDate,
		planStartDate: in.PlanStartDate, residenceMunicipalityCode: in.ResidenceMunicipalityCode,
	}, &reg.Newcomer, now); err != nil {
		return reg, err
	}
	if reg.Contact, err = contactOf("input.contact", in.Contact); err != nil {
		return reg, err
	}
	if reg.Family, err = familyOf("input.family", in.Family, now); err != nil {
		return reg, err
	}
	if reg.Languages, err = languagesOf("input.languages", in.Languages); err != nil {
		return reg, err
	}
	if reg.Health, err = healthOf("input.healthNotes", in.HealthNotes); err != nil {
		return reg, err
	}
	if reg.Background, err = backgroundOf("input.background", in.Background); err != nil {
		return reg, err
	}
	return reg, nil
}

// identityInput is the identity data and establishment of a registration or a correction.
type identityInput struct {
	displayName                string
	birthYear                  *int
	gender                     *partnernet.Gender
	arrivalDate, planStartDate *partnernet.Date
	residenceMunicipalityCode  *string
}

// identityOf validates identity data at path prefix ("input") into n's identity fields,
// establishment dates and residence.
func (r *Resolver) identityOf(ctx context.Context, prefix string, in identityInput, n *partnernet.Newcomer, now time.Time) error {
	var err error
	if n.DisplayName, err = partnernet.Text(prefix+".displayName", in.displayName, maxNameLen, true); err != nil {
		return err
	}
	if err := birthYear(prefix+".birthYear", in.birthYear, now); err != nil {
		return err
	}
	n.BirthYear, n.Gender = in.birthYear, in.gender
	n.ArrivalDate, n.PlanStartDate = in.arrivalDate.Time(), in.planStartDate.Time()
	if n.ArrivalDate != nil && n.ArrivalDate.After(now) {
		return partnernet.InputError(prefix+".arrivalDate", "the arrival cannot be in the future")
	}
	if n.ArrivalDate != nil && n.ArrivalDate.Year() < 1900 {
		return partnernet.InputError(prefix+".arrivalDate", "give an arrival after 1900")
	}
	if n.PlanStartDate != nil && (n.PlanStartDate.Year() < 1900 || n.PlanStartDate.Year() > now.Year()+10) {
		return partnernet.InputError(prefix+".planStartDate", "give a date between 1900 and %d", now.Year()+10)
	}
	if n.ArrivalDate != nil && n.PlanStartDate != nil && n.PlanStartDate.Before(*n.ArrivalDate) {
		return partnernet.InputError(prefix+".planStartDate", "the plan cannot start before the arrival")
	}
	n.ResidenceMunicipalityID, err = r.municipalityID(ctx, prefix+".residenceMunicipalityCode", in.residenceMunicipalityCode)
	return err
}

// contactOf validates contact data at path field; nil for none, and for one without a value.
func contactOf(field string, c *model.ContactInput) (*partnernet.NewcomerContact, error) {
	if c == nil {
		return nil, nil
	}
	contact := partnernet.NewcomerContact{}
	var err error
	if contact.Phone, err = partnernet.OptionalText(field+".phone", c.Phone, 30); err != nil {
		return nil, err
	}
	if contact.Phone != nil && !partnernet.PhonePattern.MatchString(*contact.Phone) {
		return nil, partnernet.InputError(field+".phone", "give a phone number of digits, spaces, ( ) and -")
	}
	if contact.Email, err = partnernet.OptionalText(field+".email", c.Email, 254); err != nil {
		return nil, err
	}
	if contact.Email != nil && !emailPattern.MatchString(*contact.Email) {
		return nil, partnernet.InputError(field+".email", "give an email address such as name@example.se")
	}
	if contact.PostalAddress, err = partnernet.OptionalText(field+".postalAddress", c.PostalAddress, 500); err != nil {
		return nil, err
	}
	if contact.Phone == nil && contact.Email == nil && contact.PostalAddress == nil {
		return nil, nil
	}
	return &contact, nil
}

// familyOf validates the members of a household at path field.
func familyOf(field string, in []*model.FamilyMemberInput, now time.Time) ([]partnernet.FamilyMember, error) {
	if len(in) > maxFamilyMembers {
		return nil, partnernet.InputError(field, "at most %d household members", maxFamilyMembers)
	}
	var out []partnernet.FamilyMember
	for i, f := range in {
		at := fmt.Sprintf("%s.%d", field, i)
		m := partnernet.FamilyMember{Relation: f.Relation, BirthYear: f.BirthYear, InSweden: f.InSweden == nil || *f.InSweden}
		var err error
		if m.Name, err = partnernet.Text(at+".name", f.Name, maxNameLen, true); err != nil {
			return nil, err
		}
		if err := birthYear(at+".birthYear", f.BirthYear, now); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// languagesOf validates the languages a newcomer speaks at path field: each once, sorted by
// code as they are kept.
func languagesOf(field string, in []*model.LanguageSkillInput) ([]partnernet.LanguageSkill, error) {
	if len(in) > partnernet.MaxLanguages {
		return nil, partnernet.InputError(field, "at most %d languages", partnernet.MaxLanguages)
	}
	var out []partnernet.LanguageSkill
	seen := map[string]bool{}
	for i, l := range in {
		if !languagePattern.MatchString(l.Language) || seen[l.Language] {
			return nil, partnernet.InputError(fmt.Sprintf("%s.%d.language", field, i), "give each language once, as an ISO 639 code such as ar or ti")
		}
		seen[l.Language] = true
		out = append(out, partnernet.LanguageSkill{Language: l.Language, Proficiency: l.Proficiency})
	}
	slices.SortFunc(out, func(a, b partnernet.LanguageSkill) int { return strings.Compare(a.Language, b.Language) })
	return out, nil
}

// healthOf validates health notes at path field; nil for none or blank ones.
func healthOf(field string, notes *string) (*partnernet.NewcomerHealth, error) {
	n, err := partnernet.OptionalText(field, notes, maxHealthLen)
	if err != nil || n == nil {
		return nil, err
	}
	return &partnernet.NewcomerHealth{Notes: *n}, nil
}

// backgroundOf validates education and work at path field; nil for none.
func backgroundOf(field string, b *model.BackgroundInput) (*partnernet.NewcomerBackground, error) {
	if b == nil {
		return nil, nil
	}
	bg := partnernet.NewcomerBackground{EducationLevel: b.EducationLevel, YearsOfWork: b.YearsOfWork}
	var err error
	if bg.Occupation, err = partnernet.OptionalText(field+".occupation", b.Occupation, maxNameLen); err != nil {
		return nil, err
	}
	if bg.Notes, err = partnernet.OptionalText(field+".notes", b.Notes, maxNoteLen); err != nil {
		return nil, err
	}
	if b.YearsOfWork != nil && (*b.YearsOfWork < 0 || *b.YearsOfWork > 80) {
		return nil, partnernet.InputError(field+".yearsOfWork", "give 0 to 80 years")
	}
	return &bg, nil
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
