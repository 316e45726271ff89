package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// organisationProfile lists the columns of an organisation's profile, which its own admins keep.
func organisationProfile(o partnernet.Organisation) columns {
	return columns{
		{"short_name", o.ShortName},
		{"website", o.Website},
		{"description", o.Description},
		{"contact_email", o.ContactEmail},
		{"contact_phone", o.ContactPhone},
		{"address", o.Address},
	}
}

// organisationWrite lists every column the network admin sets: the profile, and what the
// organisation is in the network.
func organisationWrite(o partnernet.Organisation) columns {
	return append(columns{
		{"name", o.Name},
		{"kind", o.Kind},
		{"sector", o.Sector},
		{"home_municipality_id", o.HomeMunicipalityID},
	}, organisationProfile(o)...)
}

// OrganisationCreate adds organisation o to the network with its programme participations
// (their OrganisationID is ignored), inside InTx with its audit entry, and returns it as stored.
// It returns partnernet.ErrConflict when the slug is taken or the municipality has its
// organisation already, and partnernet.ErrBadUserInput when a value breaks a constraint.
func (s *Store) OrganisationCreate(ctx context.Context, o partnernet.Organisation, parts []partnernet.ProgrammeParticipation) (partnernet.Organisation, error) {
	cols := append(columns{{"slug", o.Slug}}, organisationWrite(o)...)
	var p params
	sql := "INSERT INTO organisation AS o (" + cols.names() + ") VALUES (" + p.values(cols) + ") RETURNING " + organisationColumns
	rows, err := s.db.Query(ctx, sql, p...)
	got, err := one(rows, err, "add organisation", organisationFields)
	if err != nil {
		return got, err
	}
	return got, s.participationsReplace(ctx, got.ID, parts)
}

// OrganisationUpdate replaces what the network admin keeps of organisation o.ID (all but its
// slug, which tokens name) and, when parts is not nil, its programme participations, inside
// InTx with its audit entry, and returns it as stored; partnernet.ErrNotFound for an unknown
// organisation.
func (s *Store) OrganisationUpdate(ctx context.Context, o partnernet.Organisation, parts *[]partnernet.ProgrammeParticipation) (partnernet.Organisation, error) {
	got, err := s.organisationSet(ctx, o.ID, organisationWrite(o))
	if err != nil || parts == nil {
		return got, err
	}
	return got, s.participationsReplace(ctx, o.ID, *parts)
}

// OrganisationProfileUpdate replaces organisation o.ID's profile (short name, website,
// description, contact), inside InTx with its audit entry, and returns it as stored.
func (s *Store) OrganisationProfileUpdate(ctx context.Context, o partnernet.Organisation) (partnernet.Organisation, error) {
	return s.organisationSet(ctx, o.ID, organisationProfile(o))
}

// organisationSet sets columns of organisation id and returns it as stored.
func (s *Store) organisationSet(ctx context.Context, id int64, cols columns) (partnernet.Organisation, error) {
	var p params
	sql := "UPDATE organisation AS o SET (" + cols.names() + ", updated_at) = (" + p.values(cols) + ", now()) WHERE o.id = " +
		p.add(id) + " RETURNING " + organisationColumns
	rows, err := s.db.Query(ctx, sql, p...)
	return one(rows, err, "update organisation", organisationFields)
}

// participationsReplace replaces the programmes organisation orgID takes part in.
func (s *Store) participationsReplace(ctx context.Context, orgID int64, parts []partnernet.ProgrammeParticipation) error {
	b := &pgx.Batch{}
	b.Queue("DELETE FROM organisation_programme WHERE organisation_id = $1", orgID)
	for _, pp := range parts {
		b.Queue("INSERT INTO organisation_programme (organisation_id, programme_id, role) VALUES ($1, $2, $3)", orgID, pp.ProgrammeID, pp.Role)
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return translate(fmt.Errorf("store the programmes of organisation %d: %w", orgID, err))
	}
	return nil
}
