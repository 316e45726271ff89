package testfactory

import (
	"cmp"
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/store"
)

// seq numbers the defaults that must be unique (slugs, codes, names) across a test binary.
var seq atomic.Int64

// next returns a number no earlier call returned.
func next() int64 { return seq.Add(1) }

// MunicipalityOpts are the options of [Municipality].
type MunicipalityOpts struct {
	// Code is the four-digit municipality code; by default a unique one from 9000 on, which no
	// municipality of Skåne has.
	Code string
	// Name defaults to "Kommun <code>".
	Name string
}

// Municipality creates a municipality and returns it as stored.
func Municipality(ctx context.Context, t testing.TB, db store.DBTX, opts *MunicipalityOpts) partnernet.Municipality {
	t.Helper()
	o := *opts
	if o.Code == "" {
		o.Code = fmt.Sprintf("9%03d", next()%1000)
	}
	if o.Name == "" {
		o.Name = "Kommun " + o.Code
	}
	var id int64
	require.NoError(t, db.QueryRow(ctx, `INSERT INTO municipality (code, name) VALUES ($1, $2) RETURNING id`,
		o.Code, o.Name).Scan(&id), "testfactory: create municipality %s", o.Code)
	got, err := store.New(db).MunicipalityGetMany(ctx, []int64{id})
	require.NoError(t, err)
	require.Len(t, got, 1)
	return got[0]
}

// ProgrammeOpts are the options of [Programme].
type ProgrammeOpts struct {
	// Code is the programme's code, such as partnernet.ProgrammeNAD; by default a unique one.
	Code partnernet.ProgrammeCode
	// Name and NameSv default to the code.
	Name, NameSv string
}

// Programme creates a programme and returns it as stored.
func Programme(ctx context.Context, t testing.TB, db store.DBTX, opts *ProgrammeOpts) partnernet.Programme {
	t.Helper()
	o := *opts
	if o.Code == "" {
		o.Code = partnernet.ProgrammeCode(fmt.Sprintf("P%d", next()))
	}
	if o.Name == "" {
		o.Name = string(o.Code)
	}
	if o.NameSv == "" {
		o.NameSv = o.Name
	}
	var id int64
	require.NoError(t, db.QueryRow(ctx, `INSERT INTO programme (code, name, name_sv) VALUES ($1, $2, $3) RETURNING id`,
		o.Code, o.Name, o.NameSv).Scan(&id), "testfactory: create programme %s", o.Code)
	got, err := store.New(db).ProgrammeGetMany(ctx, []int64{id})
	require.NoError(t, err)
	require.Len(t, got, 1)
	return got[0]
}

// OrganisationOpts are the options of [Organisation].
type OrganisationOpts struct {
	// Slug defaults to a unique "org-N".
	Slug string
	// Name defaults to "Organisation <slug>".
	Name string
	// Kind defaults to ASSOCIATION (a municipality's organisation is unique to its municipality).
	Kind partnernet.OrganisationKind
	// Sector defaults to the kind's: PUBLIC for public bodies, ACADEMIC for universities, CIVIC
	// otherwise.
	Sector partnernet.Sector
	// HomeMunicipalityID is the organisation's municipality; none by default.
	HomeMunicipalityID *int64
}

// Organisation creates an organisation and returns it as stored.
func Organisation(ctx context.Context, t testing.TB, db store.DBTX, opts *OrganisationOpts) partnernet.Organisation {
	t.Helper()
	o := *opts
	if o.Slug == "" {
		o.Slug = fmt.Sprintf("org-%d", next())
	}
	if o.Name == "" {
		o.Name = "Organisation " + o.Slug
	}
	if o.Kind == "" {
		o.Kind = partnernet.KindAssociation
	}
	if o.Sector == "" {
		o.Sector = sectorOf(o.Kind)
	}
	var id int64
	require.NoError(t, db.QueryRow(ctx, `INSERT INTO organisation (slug, name, kind, sector, home_municipality_id)
VALUES ($1, $2, $3, $4, $5) RETURNING id`, o.Slug, o.Name, o.Kind, o.Sector, o.HomeMunicipalityID).Scan(&id),
		"testfactory: create organisation %s", o.Slug)
	return organisationGet(ctx, t, db, id)
}

// sectorOf returns the sector organisations of a kind belong to.
func sectorOf(k partnernet.OrganisationKind) partnernet.Sector {
	switch k {
	case partnernet.KindMunicipality, partnernet.KindCountyBoard, partnernet.KindRegion, partnernet.KindStateAgency:
		return partnernet.SectorPublic
	case partnernet.KindUniversity:
		return partnernet.SectorAcademic
	default:
		return partnernet.SectorCivic
	}
}

// organisationGet reads organisation id.
func organisationGet(ctx context.Context, t testing.TB, db store.DBTX, id int64) partnernet.Organisation {
	t.Helper()
	got, err := store.New(db).OrganisationGetMany(ctx, []int64{id})
	require.NoError(t, err)
	require.Len(t, got, 1, "testfactory: no organisation %d", id)
	return got[0]
}

// MembershipOpts are the options of [Membership].
type MembershipOpts struct {
	// OrganisationID is the organisation the role is held in; required.
	OrganisationID int64
	// Subject defaults to "<role>@org-<organisation id>".
	Subject string
	// Role defaults to coordinator.
	Role authz.Role
	// GrantedBy defaults to "testfactory".
	GrantedBy string
}

// Membership grants a subject a role in an organisation and returns the membership as stored.
func Membership(ctx context.Context, t testing.TB, db store.DBTX, opts *MembershipOpts) partnernet.Membership {
	t.Helper()
	o := *opts
	require.NotZero(t, o.OrganisationID, "testfactory: MembershipOpts.OrganisationID is required")
	if o.Role == "" {
		o.Role = authz.RoleCoordinator
	}
	if o.Subject == "" {
		o.Subject = fmt.Sprintf("%s@org-%d", o.Role, o.OrganisationID)
	}
	m, err := store.New(db).MembershipGrant(ctx, partnernet.Membership{
		Subject: o.Subject, OrganisationID: o.OrganisationID, Role: string(o.Role), GrantedBy: cmp.Or(o.GrantedBy, actor),
	})
	require.NoError(t, err, "testfactory: grant membership")
	return m
}

// actor is the subject the factory acts as when the options name none.
const actor = "testfactory"
