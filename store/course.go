package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/partnerskap-skane/partnernet"
)

// Order columns of SHK lists.
const (
	OrderStartsAt   = "STARTS_AT"
	OrderEnrolledAt = "ENROLLED_AT"
)

// courseColumns include the hours of the course's sessions, summed.
const courseColumns = `sc.id, sc.organisation_id, sc.municipality_id, sc.title, sc.language, sc.communicator,
  sc.required_sessions, sc.created_at,
  (SELECT coalesce(sum(extract(epoch FROM cs.ends_at - cs.starts_at)), 0) / 3600 FROM shk_session cs WHERE cs.course_id = sc.id)::float8`

func courseFields(c *partnernet.Course) []any {
	return []any{
		&c.ID, &c.OrganisationID, &c.MunicipalityID, &c.Title, &c.Language, &c.Communicator,
		&c.RequiredSessions, &c.CreatedAt, &c.ScheduledHours,
	}
}

// CourseFilter narrows a list of SHK courses.
type CourseFilter struct {
	// Organisations are those whose courses may be listed; the zero value lists none.
	Organisations     partnernet.OrgScope
	Languages         []string
	MunicipalityCodes []string
	Search            string // case-insensitive substring of the title
}

func courseQuery(f CourseFilter) *listQuery {
	q := &listQuery{
		from: "shk_course sc", columns: courseColumns, idExpr: "sc.id",
		sorts: map[string]sortColumn{
			OrderTitle: {"sc.title", "text"}, OrderCreatedAt: {"sc.created_at", "timestamptz"},
		},
	}
	q.scope(f.Organisations, "sc.organisation_id", "")
	if len(f.Languages) > 0 {
		filterOneOf(q, "sc.language", f.Languages)
	}
	if len(f.MunicipalityCodes) > 0 {
		q.filter("sc.municipality_id IN (SELECT fm.id FROM municipality fm WHERE fm.code = ANY(%s))", f.MunicipalityCodes)
	}
	if f.Search != "" {
		q.filter("sc.title ILIKE %s", likePattern(f.Search))
	}
	return q
}

// CourseList returns one page of SHK courses.
func (s *Store) CourseList(ctx context.Context, f CourseFilter, o Order, p Page) (Slice[partnernet.Course], error) {
	return listPage(ctx, s.db, courseQuery(f), o, p, courseFields)
}

// CourseCount counts the SHK courses a filter selects.
func (s *Store) CourseCount(ctx context.Context, f CourseFilter) (int, error) {
	return countRows(ctx, s.db, courseQuery(f))
}

// CourseGetMany returns the courses with the given ids, in no particular order; unknown ids are
// absent. Callers decide visibility.
func (s *Store) CourseGetMany(ctx context.Context, ids []int64) ([]partnernet.Course, error) {
	return getMany(ctx, s.db, "courses", "SELECT "+courseColumns+" FROM shk_course sc WHERE sc.id = ANY($1)", ids, courseFields)
}

// CourseCreate stores a course and returns it as stored; c.ID and c.CreatedAt are ignored. It
// returns partnernet.ErrBadUserInput for an unknown organisation or municipality or a value a
// constraint refuses.
func (s *Store) CourseCreate(ctx context.Context, c partnernet.Course) (partnernet.Course, error) {
	rows, err := s.db.Query(ctx, `
INSERT INTO shk_course AS sc (organisation_id, municipality_id, title, language, communicator, required_sessions)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+courseColumns,
		c.OrganisationID, c.MunicipalityID, c.Title, c.Language, c.Communicator, c.RequiredSessions)
	return one(rows, err, "create course", courseFields)
}

const sessionColumns = "ss.id, ss.course_id, sc.organisation_id, ss.kind, ss.starts_at, ss.ends_at, ss.topic, ss.place"

func sessionFields(x *partnernet.CourseSession) []any {
	return []any{&x.ID, &x.CourseID, &x.OrganisationID, &x.Kind, &x.StartsAt, &x.EndsAt, &x.Topic, &x.Place}
}

// sessionFrom joins a session to its course.
const sessionFrom = "shk_session ss JOIN shk_course sc ON sc.id = ss.course_id"

func sessionQuery() *listQuery {
	return &listQuery{
		from: sessionFrom, columns: sessionColumns, idExpr: "ss.id",
		sorts: map[string]sortColumn{OrderStartsAt: {"ss.starts_at", "timestamptz"}},
	}
}

// CourseSessionGetMany returns the sessions with the given ids; unknown ids are absent.
func (s *Store) CourseSessionGetMany(ctx context.Context, ids []int64) ([]partnernet.CourseSession, error) {
	return getMany(ctx, s.db, "course sessions", "SELECT "+sessionColumns+" FROM "+sessionFrom+" WHERE ss.id = ANY($1)", ids, sessionFields)
}

// CourseSessionListByCourses returns one page of the sessions of each of the courses, keyed by
// course id, in one statement.
func (s *Store) CourseSessionListByCourses(ctx context.Context, courseIDs []int64, _ struct{}, o Order, p Page) (map[int64]Slice[partnernet.CourseSession], error) {
	return listPageByParent(ctx, s.db, sessionQuery(), "ss.course_id", courseIDs, o, p, sessionFields)
}

// CourseSessionCountByCourses counts the sessions of each of the courses.
func (s *Store) CourseSessionCountByCourses(ctx context.Context, courseIDs []int64, _ struct{}) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, sessionQuery(), "ss.course_id", courseIDs)
}

// CourseSessionCreate stores a session of a course and returns it as stored; x.ID and
// x.OrganisationID are ignored.
func (s *Store) CourseSessionCreate(ctx context.Context, x partnernet.CourseSession) (partnernet.CourseSession, error) {
	rows, err := s.db.Query(ctx, `
WITH ss AS (
  INSERT INTO shk_session (course_id, kind, starts_at, ends_at, topic, place)
  VALUES ($1, $2, $3, $4, $5, $6) RETURNING *)
SELECT `+sessionColumns+` FROM ss JOIN shk_course sc ON sc.id = ss.course_id`,
		x.CourseID, x.Kind, x.StartsAt, x.EndsAt, x.Topic, x.Place)
	return one(rows, err, "create course session", sessionFields)
}

// participantColumns include the number of sessions the participant attended among those that
// have begun (attendance is recorded only for those, but a session moved later keeps what was
// recorded), and their hours summed.
const participantColumns = `sp.id, sp.course_id, sc.organisation_id, sp.newcomer_id, sp.enrolled_at, sp.enrolled_by,
  sp.completed_at, sp.completed_by, pa.attended, pa.hours`

func participantFields(x *partnernet.CourseParticipant) []any {
	return []any{
		&x.ID, &x.CourseID, &x.OrganisationID, &x.NewcomerID, &x.EnrolledAt, &x.EnrolledBy,
		&x.CompletedAt, &x.CompletedBy, &x.Attended, &x.AttendedHours,
	}
}

// participantAttended is the lateral join of participantFrom that counts a participant's
// attended sessions and hours.
const participantAttended = ` CROSS JOIN LATERAL (
  SELECT count(*)::int AS attended, (coalesce(sum(extract(epoch FROM ps.ends_at - ps.starts_at)), 0) / 3600)::float8 AS hours
  FROM shk_attendance pra JOIN shk_session ps ON ps.id = pra.session_id
  WHERE pra.participant_id = sp.id AND pra.present AND ps.starts_at <= now()) pa`

// participantFrom joins a participant to its course and its attendance.
const participantFrom = "shk_participant sp JOIN shk_course sc ON sc.id = sp.course_id" + participantAttended

func participantQuery() *listQuery {
	return &listQuery{
		from: participantFrom, columns: participantColumns, idExpr: "sp.id",
		sorts: map[string]sortColumn{OrderEnrolledAt: {"sp.enrolled_at", "timestamptz"}},
	}
}

// CourseParticipantGetMany returns the participants with the given ids; unknown ids are absent.
func (s *Store) CourseParticipantGetMany(ctx context.Context, ids []int64) ([]partnernet.CourseParticipant, error) {
	return getMany(ctx, s.db, "course participants", "SELECT "+participantColumns+" FROM "+participantFrom+" WHERE sp.id = ANY($1)", ids, participantFields)
}

// CourseParticipantGet returns the participation of a newcomer in a course, or
// partnernet.ErrNotFound when the newcomer is not enrolled.
func (s *Store) CourseParticipantGet(ctx context.Context, courseID, newcomerID int64) (partnernet.CourseParticipant, error) {
	rows, err := s.db.Query(ctx, "SELECT "+participantColumns+" FROM "+participantFrom+
		" WHERE sp.course_id = $1 AND sp.newcomer_id = $2", courseID, newcomerID)
	return one(rows, err, "get course participant", participantFields)
}

// CourseParticipantListByCourses returns one page of the participants of each of the courses.
func (s *Store) CourseParticipantListByCourses(ctx context.Context, courseIDs []int64, _ struct{}, o Order, p Page) (map[int64]Slice[partnernet.CourseParticipant], error) {
	return listPageByParent(ctx, s.db, participantQuery(), "sp.course_id", courseIDs, o, p, participantFields)
}

// CourseParticipantCountByCourses counts the participants of each of the courses.
func (s *Store) CourseParticipantCountByCourses(ctx context.Context, courseIDs []int64, _ struct{}) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, participantQuery(), "sp.course_id", courseIDs)
}

// CourseParticipantListByNewcomers returns one page of the course participations of each of the
// newcomers.
func (s *Store) CourseParticipantListByNewcomers(ctx context.Context, newcomerIDs []int64, _ struct{}, o Order, p Page) (map[int64]Slice[partnernet.CourseParticipant], error) {
	return listPageByParent(ctx, s.db, participantQuery(), "sp.newcomer_id", newcomerIDs, o, p, participantFields)
}

// CourseParticipantCountByNewcomers counts the course participations of each of the newcomers.
func (s *Store) CourseParticipantCountByNewcomers(ctx context.Context, newcomerIDs []int64, _ struct{}) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, participantQuery(), "sp.newcomer_id", newcomerIDs)
}

// CourseParticipantCreate enrols a newcomer in a course, by actor, and returns the participation.
// It returns partnernet.ErrConflict when the newcomer is already enrolled.
func (s *Store) CourseParticipantCreate(ctx context.Context, courseID, newcomerID int64, actor string) (partnernet.CourseParticipant, error) {
	rows, err := s.db.Query(ctx, `
WITH sp AS (
  INSERT INTO shk_participant (course_id, newcomer_id, enrolled_by) VALUES ($1, $2, $3) RETURNING *)
SELECT `+participantColumns+` FROM sp JOIN shk_course sc ON sc.id = sp.course_id`+participantAttended, courseID, newcomerID, actor)
	return one(rows, err, "enrol in course", participantFields)
}

// CourseParticipantLock returns a participation as it stands, locked against concurrent changes
// until the transaction ends, or partnernet.ErrNotFound.
func (s *Store) CourseParticipantLock(ctx context.Context, id int64) (partnernet.CourseParticipant, error) {
	if _, err := s.db.Exec(ctx, "SELECT 1 FROM shk_participant WHERE id = $1 FOR UPDATE", id); err != nil {
		return partnernet.CourseParticipant{}, translate(fmt.Errorf("lock course participant %d: %w", id, err))
	}
	rows, err := s.db.Query(ctx, "SELECT "+participantColumns+" FROM "+participantFrom+" WHERE sp.id = $1", id)
	return one(rows, err, "get course participant", participantFields)
}

// CourseParticipantComplete marks a participation completed by actor at the time of the
// transaction and returns it.
func (s *Store) CourseParticipantComplete(ctx context.Context, id int64, actor string) (partnernet.CourseParticipant, error) {
	if _, err := s.db.Exec(ctx, "UPDATE shk_participant SET completed_at = now(), completed_by = $2 WHERE id = $1", id, actor); err != nil {
		return partnernet.CourseParticipant{}, translate(fmt.Errorf("complete course participant %d: %w", id, err))
	}
	rows, err := s.db.Query(ctx, "SELECT "+participantColumns+" FROM "+participantFrom+" WHERE sp.id = $1", id)
	return one(rows, err, "get course participant", participantFields)
}

const attendanceColumns = "sa.id, sa.session_id, sa.participant_id, sc.organisation_id, sp.newcomer_id, sa.present, sa.recorded_at, sa.recorded_by"

func attendanceFields(a *partnernet.Attendance) []any {
	return []any{&a.ID, &a.SessionID, &a.ParticipantID, &a.OrganisationID, &a.NewcomerID, &a.Present, &a.RecordedAt, &a.RecordedBy}
}

// attendanceFrom joins an attendance to its participant and course.
const attendanceFrom = "shk_attendance sa JOIN shk_participant sp ON sp.id = sa.participant_id JOIN shk_course sc ON sc.id = sp.course_id"

func attendanceQuery() *listQuery {
	return &listQuery{
		from: attendanceFrom, columns: attendanceColumns, idExpr: "sa.id",
		sorts: map[string]sortColumn{OrderRecordedAt: {"sa.recorded_at", "timestamptz"}},
	}
}

// AttendanceListBySessions returns one page of the attendance of each of the sessions.
func (s *Store) AttendanceListBySessions(ctx context.Context, sessionIDs []int64, _ struct{}, o Order, p Page) (map[int64]Slice[partnernet.Attendance], error) {
	return listPageByParent(ctx, s.db, attendanceQuery(), "sa.session_id", sessionIDs, o, p, attendanceFields)
}

// AttendanceCountBySessions counts the attendance records of each of the sessions.
func (s *Store) AttendanceCountBySessions(ctx context.Context, sessionIDs []int64, _ struct{}) (map[int64]int, error) {
	return countRowsByParent(ctx, s.db, attendanceQuery(), "sa.session_id", sessionIDs)
}

// AttendanceListByParticipants returns the attendance records of each of the participants, by
// participant and session start.
func (s *Store) AttendanceListByParticipants(ctx context.Context, participantIDs []int64) ([]partnernet.Attendance, error) {
	return getMany(ctx, s.db, "attendance", "SELECT "+attendanceColumns+" FROM "+attendanceFrom+
		" JOIN shk_session ss ON ss.id = sa.session_id WHERE sa.participant_id = ANY($1) ORDER BY sa.participant_id, ss.starts_at, sa.id",
		participantIDs, attendanceFields)
}

// AttendanceRecord records whether a participant attended a session, by actor, replacing an
// earlier record of the same, and returns it.
func (s *Store) AttendanceRecord(ctx context.Context, sessionID, participantID int64, present bool, actor string) (partnernet.Attendance, error) {
	rows, err := s.db.Query(ctx, `
WITH sa AS (
  INSERT INTO shk_attendance (session_id, participant_id, present, recorded_by) VALUES ($1, $2, $3, $4)
  ON CONFLICT (session_id, participant_id) DO UPDATE SET present = $3, recorded_by = $4, recorded_at = now()
  RETURNING *)
SELECT `+attendanceColumns+` FROM sa JOIN shk_participant sp ON sp.id = sa.participant_id JOIN shk_course sc ON sc.id = sp.course_id`,
		sessionID, participantID, present, actor)
	return one(rows, err, "record attendance", attendanceFields)
}

// one collects the single row a statement returns; no row is partnernet.ErrNotFound.
func one[T any](rows pgx.Rows, err error, what string, fields scanFunc[T]) (T, error) {
	var out T
	if err != nil {
		return out, translate(fmt.Errorf("%s: %w", what, err))
	}
	out, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (T, error) {
		var t T
		return t, r.Scan(fields(&t)...)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return out, partnernet.Errorf(partnernet.CodeNotFound, "%s: not found", what)
	}
	if err != nil {
		return out, translate(fmt.Errorf("%s: %w", what, err))
	}
	return out, nil
}
