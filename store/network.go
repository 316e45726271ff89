package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// Order columns of the network's lists.
const (
	OrderName      = "NAME"
	OrderCode      = "CODE"
	OrderSlug      = "SLUG"
	OrderCreatedAt = "CREATED_AT"
)

const municipalityColumns = "m.id, m.code, m.name"

func municipalityFields(m *partnernet.Municipality) []any { return []any{&m.ID, &m.Code, &m.Name} }

// MunicipalityFilter narrows a list of municipalities.
type MunicipalityFilter struct {
	Codes  []string
	Search string // case-insensitive substring of the name
}

func municipalityQuery(f MunicipalityFilter) *listQuery {
	q := &listQuery{
		from: "municipality m", columns: municipalityColumns, idExpr: "m.id",
		sorts: map[string]sortColumn{OrderName: {"m.name", "text"}, OrderCode: {"m.code", "text"}},
	}
	if len(f.Codes) > 0 {
		filterOneOf(q, "m.code", f.Codes)
	}
	if f.Search != "" {
		q.filter("m.name ILIKE %s", likePattern(f.Search))
	}
	return q
}

// MunicipalityList returns one page of municipalities.
func (s *Store) MunicipalityList(ctx context.Context, f MunicipalityFilter, o Order, p Page) (Slice[partnernet.Municipality], error) {
	return listPage(ctx, s.db, municipalityQuery(f), o, p, municipalityFields)
}

// MunicipalityCount counts the municipalities a filter selects.
func (s *Store) MunicipalityCount(ctx context.Context, f MunicipalityFilter) (int, error) {
	return countRows(ctx, s.db, municipalityQuery(f))
}

// MunicipalityGetMany returns the municipalities with the given ids, in no particular order;
// unknown ids are absent.
func (s *Store) MunicipalityGetMany(ctx context.Context, ids []int64) ([]partnernet.Municipality, error) {
	return getMany(ctx, s.db, "municipalities", municipalitiesByIDSQL, ids, municipalityFields)
}

// MunicipalityGetByCode returns the municipality with an official code. It returns
// partnernet.ErrNotFound when there is none.
func (s *Store) MunicipalityGetByCode(ctx context.Context, code string) (partnernet.Municipality, error) {
	var m partnernet.Municipality
	err := s.db.QueryRow(ctx, "SELECT "+municipalityColumns+" FROM municipality m WHERE m.code = $1", code).
		Scan(municipalityFields(&m)...)
	if err != nil {
		return m, translate(fmt.Errorf("get municipality %q: %w", code, err))
	}
	return m, nil
}

const programmeColumns = "p.id, p.code, p.name, p.name_sv, p.description"

func programmeFields(p *partnernet.Programme) []any {
	return []any{&p.ID, &p.Code, &p.Name, &p.NameSv, &p.Description}
}

// ProgrammeFilter narrows a list of programmes.
type ProgrammeFilter struct {
	Codes []partnernet.ProgrammeCode
}

func programmeQuery(f ProgrammeFilter) *listQuery {
	q := &listQuery{
		from: "programme p", columns: programmeColumns, idExpr: "p.id",
		sorts: map[string]sortColumn{OrderName: {"p.name", "text"}, OrderCode: {"p.code", "text"}},
	}
	if len(f.Codes) > 0 {
		filterOneOf(q, "p.code", f.Codes)
	}
	return q
}

// ProgrammeList returns one page of programmes.
func (s *Store) ProgrammeList(ctx context.Context, f ProgrammeFilter, o Order, p Page) (Slice[partnernet.Programme], error) {
	return listPage(ctx, s.db, programmeQuery(f), o, p, programmeFields)
}

// ProgrammeCount counts the programmes a filter selects.
func (s *Store) ProgrammeCount(ctx context.Context, f ProgrammeFilter) (int, error) {
	return countRows(ctx, s.db, programmeQuery(f))
}

// ProgrammeGetMany returns the programmes with the given ids, in no particular order; unknown ids
// are absent.
func (s *Store) ProgrammeGetMany(ctx context.Context, ids []int64) ([]partnernet.Programme, error) {
	return getMany(ctx, s.db, "programmes", programmesByIDSQL, ids, programmeFields)
}

// ProgrammeGetByCode returns the programme with a code. It returns partnernet.ErrNotFound when
// there is none.
func (s *Store) ProgrammeGetByCode(ctx context.Context, code partnernet.ProgrammeCode) (partnernet.Programme, error) {
	var p partnernet.Programme
	err := s.db.QueryRow(ctx, "SELECT "+programmeColumns+" FROM programme p WHERE p.code = $1", code).
		Scan(programmeFields(&p)...)
	if err != nil {
		return p, translate(fmt.Errorf("get programme %q: %w", code, err))
	}
	return p, nil
}

// ProgrammeParticipationListByOrganisations returns how each of the organisations takes part in
// programmes, ordered by organisation and programme code.
func (s *Store) ProgrammeParticipationListByOrganisations(ctx context.Context, orgIDs []int64) ([]partnernet.ProgrammeParticipation, error) {
	return getMany(ctx, s.db, "programme participations", `
SELECT op.organisation_id, op.programme_id, op.role
FROM organisation_programme op JOIN programme p ON p.id = op.programme_id
WHERE op.organisation_id = ANY($1)
ORDER BY op.organisation_id, p.code`, orgIDs, func(pp *partnernet.ProgrammeParticipation) []any {
		return []any{&pp.OrganisationID, &pp.ProgrammeID, &pp.Role}
	})
}

const organisationColumns = `o.id, o.slug, o.name, o.short_name, o.kind, o.sector, o.home_municipality_id, o.website,
  o.description, o.contact_email, o.contact_phone, o.address, o.created_at, o.updated_at`

func organisationFields(o *partnernet.Organisation) []any {
	return []any{
		&o.ID, &o.Slug, &o.Name, &o.ShortName, &o.Kind, &o.Sector, &o.HomeMunicipalityID, &o.Website,
		&o.Description, &o.ContactEmail, &o.ContactPhone, &o.Address, &o.CreatedAt, &o.UpdatedAt,
	}
}

// OrganisationFilter narrows a list of organisations.
type OrganisationFilter struct {
	Kinds             []partnernet.OrganisationKind
	Sectors           []partnernet.Sector
	ProgrammeCodes    []partnernet.ProgrammeCode // taking part in any of these
	MunicipalityCodes []string                   // with a home municipality among these
	Search            string                     // case-insensitive substring of name, short name or slug
	// HSDSIDs keeps the organisations whose HSDS organization id (hsds_uuid('organization:' ||
	// id)) is one of these UUIDs, in their text form.
	HSDSIDs []string
}

func organisationQuery(f OrganisationFilter) *listQuery {
	q := &listQuery{
		from: "organisation o", columns: organisationColumns, idExpr: "o.id",
		sorts: map[string]sortColumn{
			OrderName: {"o.name", "text"}, OrderSlug: {"o.slug", "text"}, OrderCreatedAt: {"o.created_at", "timestamptz"},
		},
	}
	if len(f.Kinds) > 0 {
		filterOneOf(q, "o.kind", f.Kinds)
	}
	if len(f.Sectors) > 0 {
		filterOneOf(q, "o.sector", f.Sectors)
	}
	if len(f.ProgrammeCodes) > 0 {
		q.filter(`EXISTS (SELECT 1 FROM organisation_programme fop JOIN programme fp ON fp.id = fop.programme_id
  WHERE fop.organisation_id = o.id AND fp.code = ANY(%s))`, f.ProgrammeCodes)
	}
	if len(f.MunicipalityCodes) > 0 {
		q.filter("o.home_municipality_id IN (SELECT fm.id FROM municipality fm WHERE fm.code = ANY(%s))", f.MunicipalityCodes)
	}
	if f.Search != "" {
		q.filter("(o.name ILIKE %[1]s OR o.short_name ILIKE %[1]s OR o.slug ILIKE %[1]s)", likePattern(f.Search))
	}
	if len(f.HSDSIDs) > 0 {
		q.filter("hsds_uuid('organization:' || o.id) = ANY(%s::uuid[])", f.HSDSIDs)
	}
	return q
}

// OrganisationList returns one page of organisations.
func (s *Store) OrganisationList(ctx context.Context, f OrganisationFilter, o Order, p Page) (Slice[partnernet.Organisation], error) {
	return listPage(ctx, s.db, organisationQuery(f), o, p, organisationFields)
}

// OrganisationListAt returns limit organisations from offset on, in order o: a page by number.
func (s *Store) OrganisationListAt(ctx context.Context, f OrganisationFilter, o Order, offset, limit int) ([]partnernet.Organisation, error) {
	return listAt(ctx, s.db, organisationQuery(f), o, offset, limit, organisationFields)
}

// OrganisationCount counts the organisations a filter selects.
func (s *Store) OrganisationCount(ctx context.Context, f OrganisationFilter) (int, error) {
	return countRows(ctx, s.db, organisationQuery(f))
}

// organisationByProgrammeQuery is the organisation list joined to the programmes they take part in.
func organisationByProgrammeQuery(f OrganisationFilter) *listQuery {
	q := organisationQuery(f)
	q.from = "organisation o JOIN organisation_programme pop ON pop.organisation_id = o.id"
	return q
}

// OrganisationListByProgrammes returns one page of the organisations taking part in each of the
// programmes, keyed by programme id.
func (s *Store) OrganisationListByProgrammes(ctx context.Context, programmeIDs []int64, f OrganisationFilter, o Order, p Page) (map[int64]Slice[partnernet.Organisation], error) {
	return listPageByParent(ctx, s.db, organisationByProgrammeQuery(f), "pop.programme_id", programmeIDs, o, p, organisationFields)
}

// OrganisationCountByProgrammes counts the organisations taking part in each of the programmes.
func (s *Store) OrganisationCountByProgrammes(ctx context.Context, programmeIDs []int64, f OrganisationFilter) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, organisationByProgrammeQuery(f), "pop.programme_id", programmeIDs)
}

// OrganisationGetMany returns the organisations with the given ids, in no particular order;
// unknown ids are absent.
func (s *Store) OrganisationGetMany(ctx context.Context, ids []int64) ([]partnernet.Organisation, error) {
	return getMany(ctx, s.db, "organisations", organisationsByIDSQL, ids, organisationFields)
}

// NetworkIDs name organisations, municipalities and programmes to read together.
type NetworkIDs struct {
	Organisations, Municipalities, Programmes []int64
}

// NetworkRows are the organisations, municipalities and programmes [Store.NetworkGetMany] read,
// in no particular order; unknown ids are absent.
type NetworkRows struct {
	Organisations  []partnernet.Organisation
	Municipalities []partnernet.Municipality
	Programmes     []partnernet.Programme
}

// NetworkGetMany reads the organisations, municipalities and programmes ids names in one round
// trip: one statement for each kind it names any of, sent together.
func (s *Store) NetworkGetMany(ctx context.Context, ids NetworkIDs) (NetworkRows, error) {
	var out NetworkRows
	b := &pgx.Batch{}
	queueNetwork(b, ids, &out)
	if b.Len() == 0 {
		return out, nil
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return NetworkRows{}, translate(fmt.Errorf("get organisations, municipalities and programmes: %w", err))
	}
	return out, nil
}

// The statements reading organisations, municipalities and programmes by the ids in $1, alone
// (the GetMany methods) or batched with others (queueNetwork).
const (
	organisationsByIDSQL  = "SELECT " + organisationColumns + " FROM organisation o WHERE o.id = ANY($1)"
	municipalitiesByIDSQL = "SELECT " + municipalityColumns + " FROM municipality m WHERE m.id = ANY($1)"
	programmesByIDSQL     = "SELECT " + programmeColumns + " FROM programme p WHERE p.id = ANY($1)"
)

// queueNetwork queues on b the statements reading the organisations, municipalities and
// programmes ids names, one for each kind it names any of, into out.
func queueNetwork(b *pgx.Batch, ids NetworkIDs, out *NetworkRows) {
	if len(ids.Organisations) > 0 {
		queueMany(b, organisationsByIDSQL, ids.Organisations, organisationFields, &out.Organisations)
	}
	if len(ids.Municipalities) > 0 {
		queueMany(b, municipalitiesByIDSQL, ids.Municipalities, municipalityFields, &out.Municipalities)
	}
	if len(ids.Programmes) > 0 {
		queueMany(b, programmesByIDSQL, ids.Programmes, programmeFields, &out.Programmes)
	}
}

// OrganisationGetBySlug returns the organisation with a slug. It returns partnernet.ErrNotFound
// when there is none.
func (s *Store) OrganisationGetBySlug(ctx context.Context, slug string) (partnernet.Organisation, error) {
	var o partnernet.Organisation
	err := s.db.QueryRow(ctx, "SELECT "+organisationColumns+" FROM organisation o WHERE o.slug = $1", slug).
		Scan(organisationFields(&o)...)
	if err != nil {
		return o, translate(fmt.Errorf("get organisation %q: %w", slug, err))
	}
	return o, nil
}

// OrganisationGetManyByMunicipalities returns the organisation of kind MUNICIPALITY that
// represents each of the municipalities; municipalities without one are absent.
func (s *Store) OrganisationGetManyByMunicipalities(ctx context.Context, municipalityIDs []int64) ([]partnernet.Organisation, error) {
	return getMany(ctx, s.db, "municipality organisations",
		"SELECT "+organisationColumns+" FROM organisation o WHERE o.kind = 'MUNICIPALITY' AND o.home_municipality_id = ANY($1)",
		municipalityIDs, organisationFields)
}
