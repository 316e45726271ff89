package partnernet_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/authz"
	"github.com/partnerskap-skane/partnernet/dbtest"
)

// goEnum is what the enumerations of the root package have in common.
type goEnum interface{ Values() []string }

// enumColumns maps every enumeration of the root package to the table.column(s) whose CHECK
// constraint lists its values. An enumeration that no column stores under a CHECK list says why
// in unstored.
var enumColumns = []struct {
	enum     goEnum
	columns  []string
	unstored string
}{
	{enum: partnernet.OrganisationKind(""), columns: []string{"organisation.kind"}},
	{enum: partnernet.Sector(""), columns: []string{"organisation.sector"}},
	{enum: partnernet.ParticipationRole(""), columns: []string{"organisation_programme.role"}},
	{enum: partnernet.ProgrammeCode(""), unstored: "programme.code is checked by shape only: the programmes are rows, loaded by the seed"},
	{enum: partnernet.ActivityStatus(""), columns: []string{"activity.status"}},
	{enum: partnernet.ActivityCategory(""), columns: []string{"activity.category"}},
	{enum: partnernet.TargetGroup(""), columns: []string{"activity.target_groups"}},
	{enum: partnernet.ActivityChangeKind(""), columns: []string{"activity_change.kind"}},
	{enum: partnernet.EnrolmentStatus(""), columns: []string{"enrolment.status"}},
	{enum: partnernet.PlaceAvailability(""), unstored: "computed from an activity's capacity and enrolments, never stored"},
	{enum: partnernet.Gender(""), columns: []string{"newcomer.gender"}},
	{enum: partnernet.Proficiency(""), columns: []string{"newcomer_language.proficiency"}},
	{enum: partnernet.FamilyRelation(""), columns: []string{"newcomer_family_member.relation"}},
	{enum: partnernet.EducationLevel(""), columns: []string{"newcomer_background.education_level"}},
	{enum: partnernet.Purpose(""), columns: []string{"consent_record.purposes"}},
	{enum: partnernet.DataCategory(""), columns: []string{"consent_record.data_categories", "newcomer_change.category"}},
	{enum: partnernet.LegalBasis(""), columns: []string{"consent_record.legal_basis"}},
	{enum: partnernet.ConsentMethod(""), columns: []string{"consent_record.method"}},
	{enum: partnernet.ConsentEventKind(""), columns: []string{"consent_event.kind"}},
	{enum: partnernet.ConsentState(""), unstored: "derived from a record's last event and validity (ConsentRecord.StateAt), never stored"},
	{enum: partnernet.AuditAction(""), unstored: "audit_event.action is checked by shape only (migration 00004): the Go list is the authority"},
	{enum: partnernet.AuditDecision(""), columns: []string{"audit_event.decision"}},
	{enum: partnernet.TextDirection(""), unstored: "derived from a language tag's script, never stored"},
	{enum: partnernet.ReferralStatus(""), columns: []string{"referral.status", "referral_event.status"}},
	{enum: partnernet.PlanStatus(""), columns: []string{"support_plan.status"}},
	{enum: partnernet.PlanStepKind(""), columns: []string{"plan_step.kind"}},
	{enum: partnernet.PlanStepStatus(""), columns: []string{"plan_step.status"}},
	{enum: partnernet.CourseSessionKind(""), columns: []string{"shk_session.kind"}},
	{enum: partnernet.AdviceTopic(""), columns: []string{"advice_visit.topic"}},
	{enum: partnernet.AttendanceStatus(""), columns: []string{"activity_attendance.status"}},
	{enum: partnernet.AnonymityReason(""), unstored: "derived from an enrolment's sharing consent and the decision, never stored"},
	{enum: partnernet.NoticeKind(""), columns: []string{"notice.kind"}},
	{enum: partnernet.NoticeChannel(""), columns: []string{"notice_delivery.channel"}},
	{enum: partnernet.DeliveryStatus(""), columns: []string{"notice_delivery.status"}},
	{enum: partnernet.ImportFormat(""), columns: []string{"activity_source.format"}},
	{enum: partnernet.ImportOutcome(""), unstored: "what an import did with a row, reported and never stored"},
	{enum: partnernet.NewcomerChangeKind(""), columns: []string{"newcomer_change.kind"}},
	{enum: partnernet.CaseStatus(""), unstored: "derived from a record's erasure and last activity (Newcomer.StatusAt), never stored"},
	{enum: partnernet.CaseTransferStatus(""), columns: []string{"case_transfer.status"}},
	{enum: partnernet.OutcomeKind(""), columns: []string{"newcomer_outcome.kind"}},
	{enum: partnernet.SfiCourse(""), columns: []string{"newcomer_outcome.sfi_course"}},
	{enum: partnernet.SfiProgress(""), columns: []string{"newcomer_outcome.sfi_progress"}},
	{enum: partnernet.QuestionnaireInstrument(""), unstored: "the parts of the questionnaire (partnernet.Instruments); its texts are keyed by shape (questionnaire_text.key)"},
	{enum: partnernet.QuestionnaireItem(""), columns: []string{"questionnaire_answer.item"}},
	{enum: partnernet.FeedbackModeration(""), columns: []string{"activity_feedback.moderation"}},
	{enum: partnernet.FeedbackRejection(""), columns: []string{"activity_feedback.rejection"}},
}

// otherLists are the enum-like CHECK lists that hold no whole enumeration of the root package,
// each with the Go list it must equal.
func otherLists() map[string][]string {
	apiKeyRoles := slices.DeleteFunc(slices.Clone(authz.OrganisationRoles), func(r authz.Role) bool {
		return r == authz.RoleNetworkAdmin
	})
	return map[string][]string{
		// A referral names a purpose of processing, but never research or statistics.
		"referral.purpose": stringsOf(partnernet.ReferralPurposes),
		// Memberships grant the organisation roles of authz (the schema's Role in lower case).
		"membership.role": stringsOf(authz.OrganisationRoles),
		// API keys grant the same roles but network_admin (createApiKey refuses it).
		"api_key.role": stringsOf(apiKeyRoles),
		// Public texts beyond activities: the kinds of their owners and their fields, which no
		// schema enum names (a translation names its owner by global ID and its fields by name).
		"public_text.owner_kind": stringsOf(partnernet.PublicTextOwners),
		"public_text.field":      stringsOf(partnernet.PublicTextFields),
	}
}

// TestEnumsAgree checks that every enumeration of the root package lists the same values as the
// schema's enum of the same name and as every CHECK constraint of the migrated database that
// holds it, and that no enum-like CHECK list in the database goes unchecked.
func TestEnumsAgree(t *testing.T) {
	t.Parallel()
	goEnums := rootEnums(t)
	schema := schemaEnums(t)
	checks := databaseChecks(t)

	names := make([]string, 0, len(enumColumns))
	for _, e := range enumColumns {
		names = append(names, reflect.TypeOf(e.enum).Name())
	}
	require.ElementsMatch(t, slices.Sorted(maps.Keys(goEnums)), names,
		"every type of the root package with Values() []string has a row in enumColumns")

	for _, e := range enumColumns {
		name := reflect.TypeOf(e.enum).Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			values := e.enum.Values()
			require.ElementsMatch(t, goEnums[name], values, "the constants of type %s are its Values()", name)
			require.Contains(t, schema, name, "the schema has an enum %s", name)
			require.ElementsMatch(t, values, schema[name], "schema enum %s", name)
			if len(e.columns) == 0 {
				require.NotEmpty(t, e.unstored, "an enum no column stores says why")
			}
			for _, column := range e.columns {
				require.NotEmpty(t, checks.lists[column], "a CHECK constraint lists the values of %s", column)
				for _, list := range checks.lists[column] {
					require.ElementsMatch(t, values, list, "the CHECK list of %s", column)
				}
			}
		})
	}

	t.Run("OtherLists", func(t *testing.T) {
		t.Parallel()
		for column, want := range otherLists() {
			require.NotEmpty(t, checks.lists[column], "a CHECK constraint lists the values of %s", column)
			for _, list := range checks.lists[column] {
				require.ElementsMatch(t, want, list, "the CHECK list of %s", column)
			}
		}
		require.Subset(t, partnernet.Purpose("").Values(), stringsOf(partnernet.ReferralPurposes),
			"referral purposes are purposes")
		roles := append(stringsOf(authz.OrganisationRoles), string(authz.RoleNewcomer), string(authz.RoleInvitee))
		for i, r := range roles {
			roles[i] = strings.ToUpper(r)
		}
		require.ElementsMatch(t, roles, schema["Role"], "schema enum Role names the roles of authz")
	})

	t.Run("EveryCheckListIsClaimed", func(t *testing.T) {
		t.Parallel()
		claimed := otherLists()
		for _, e := range enumColumns {
			for _, column := range e.columns {
				claimed[column] = nil
			}
		}
		for column := range checks.lists {
			require.Contains(t, claimed, column,
				"the CHECK list of %s belongs to an enumeration: add it to enumColumns or otherLists", column)
		}
	})

	t.Run("ComparedLiteralsAreValues", func(t *testing.T) {
		t.Parallel()
		for _, c := range checks.literals {
			for _, list := range checks.lists[c.column] { // columns without a list are no enumeration
				require.Contains(t, list, c.value, "%s compares %s with a value it does not list: %s", c.constraint, c.column, c.def)
			}
		}
	})
}

// TestDatabaseChecksRead checks the reading of constraint definitions, as PostgreSQL prints them.
func TestDatabaseChecksRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		def      string
		lists    map[string][]string
		literals []string
		bad      bool
	}{
		{
			name:  "IN list",
			def:   "CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'EVALUATED'::text])))",
			lists: map[string][]string{"t.status": {"ACTIVE", "EVALUATED"}},
		},
		{
			name:  "array subset",
			def:   "CHECK (((cardinality(purposes) > 0) AND (purposes <@ ARRAY['REFERRAL'::text, 'ADVICE'::text])))",
			lists: map[string][]string{"t.purposes": {"REFERRAL", "ADVICE"}},
		},
		{
			name:     "literal comparison",
			def:      "CHECK (((kind <> 'ACTIVITY'::text) OR (activity_id IS NOT NULL)))",
			lists:    map[string][]string{},
			literals: []string{"t.kind=ACTIVITY"},
		},
		{
			name:  "shape only",
			def:   "CHECK ((action ~ '^[A-Z][A-Z_]{1,39}$'::text))",
			lists: map[string][]string{},
		},
		{
			name: "a list of another shape",
			def:  "CHECK (((role)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))",
			bad:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got checkLists
			err := got.add("t", "c", tt.def)
			if tt.bad {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			lists := map[string][]string{}
			for column, l := range got.lists {
				require.Len(t, l, 1)
				lists[column] = l[0]
			}
			require.Equal(t, tt.lists, lists)
			var literals []string
			for _, l := range got.literals {
				literals = append(literals, l.column+"="+l.value)
			}
			require.Equal(t, tt.literals, literals)
		})
	}
}

// rootEnums returns, for every type of the root package that has a method Values() []string,
// the values of the string constants declared with that type.
func rootEnums(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	enums := map[string][]string{}
	var consts []*ast.ValueSpec
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if recv, ok := valuesMethod(d); ok {
					enums[recv] = nil
				}
			case *ast.GenDecl:
				if d.Tok != token.CONST {
					continue
				}
				for _, spec := range d.Specs {
					consts = append(consts, spec.(*ast.ValueSpec))
				}
			}
		}
	}
	require.NotEmpty(t, enums, "the root package has enumerations")
	for _, spec := range consts {
		typ, ok := spec.Type.(*ast.Ident)
		if !ok {
			continue
		}
		if _, ok := enums[typ.Name]; !ok {
			continue
		}
		for _, v := range spec.Values {
			lit, ok := v.(*ast.BasicLit)
			require.True(t, ok && lit.Kind == token.STRING, "constant of %s is a string literal", typ.Name)
			s, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			enums[typ.Name] = append(enums[typ.Name], s)
		}
	}
	return enums
}

// valuesMethod reports whether d is a method `Values() []string` and of which type.
func valuesMethod(d *ast.FuncDecl) (string, bool) {
	if d.Name.Name != "Values" || d.Recv == nil || len(d.Recv.List) != 1 ||
		d.Type.Params.NumFields() != 0 || d.Type.Results.NumFields() != 1 {
		return "", false
	}
	recv, ok := d.Recv.List[0].Type.(*ast.Ident)
	if !ok {
		return "", false
	}
	result, ok := d.Type.Results.List[0].Type.(*ast.ArrayType)
	if !ok || result.Len != nil {
		return "", false
	}
	if elem, ok := result.Elt.(*ast.Ident); !ok || elem.Name != "string" {
		return "", false
	}
	return recv.Name, true
}

// schemaEnums returns the values of every enum of schema/*.graphqls, extensions included.
func schemaEnums(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("schema", "*.graphqls"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	sources := make([]*gqlast.Source, 0, len(files))
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		sources = append(sources, &gqlast.Source{Name: name, Input: string(b)})
	}
	doc, err := gqlparser.ParseSchemas(sources...)
	require.NoError(t, err)
	enums := map[string][]string{}
	for _, def := range slices.Concat(doc.Definitions, doc.Extensions) {
		if def.Kind != gqlast.Enum {
			continue
		}
		for _, v := range def.EnumValues {
			enums[def.Name] = append(enums[def.Name], v.Name)
		}
	}
	return enums
}

// checkLists are the enum-like parts of a database's CHECK constraints.
type checkLists struct {
	// lists holds, by table.column, the value lists CHECK constraints allow.
	lists map[string][][]string
	// literals are the comparisons of a column with one text value (`kind <> 'ACTIVITY'`).
	literals []checkLiteral
}

// checkLiteral is a comparison of a column with one text value in a CHECK constraint.
type checkLiteral struct {
	constraint, column, value, def string
}

var (
	// PostgreSQL prints `col IN ('A', 'B')` as `(col = ANY (ARRAY['A'::text, 'B'::text]))`.
	anyList = regexp.MustCompile(`\((\w+) = ANY \(ARRAY\[([^\]]*)\]\)\)`)
	// and `arr <@ ARRAY['A', 'B']` as `(arr <@ ARRAY['A'::text, 'B'::text])`.
	subsetList = regexp.MustCompile(`\((\w+) <@ ARRAY\[([^\]]*)\]\)`)
	// A comparison with one value: `(kind <> 'ACTIVITY'::text)`.
	literal     = regexp.MustCompile(`\((\w+) (?:=|<>) '([^']*)'::text\)`)
	textElement = regexp.MustCompile(`^'([^']*)'::text$`)
	// What is left of a list the patterns above do not read.
	unread = regexp.MustCompile(`ARRAY\[| ANY | IN \(`)
)

// add reads the definition def of the CHECK constraint name on table.
func (c *checkLists) add(table, name, def string) error {
	if c.lists == nil {
		c.lists = map[string][][]string{}
	}
	rest := def
	for _, re := range []*regexp.Regexp{anyList, subsetList} {
		for _, m := range re.FindAllStringSubmatch(rest, -1) {
			var values []string
			for _, el := range strings.Split(m[2], ", ") {
				v := textElement.FindStringSubmatch(el)
				if v == nil {
					return fmt.Errorf("%s: element %s of %s is not a text literal", name, el, m[0])
				}
				values = append(values, v[1])
			}
			column := table + "." + m[1]
			c.lists[column] = append(c.lists[column], values)
		}
		rest = re.ReplaceAllString(rest, "")
	}
	if unread.MatchString(rest) {
		return fmt.Errorf("%s: a list the test cannot read: %s", name, def)
	}
	for _, m := range literal.FindAllStringSubmatch(rest, -1) {
		c.literals = append(c.literals, checkLiteral{constraint: name, column: table + "." + m[1], value: m[2], def: def})
	}
	return nil
}

// databaseChecks reads the CHECK constraints of a freshly migrated database.
func databaseChecks(t *testing.T) checkLists {
	t.Helper()
	pool := dbtest.NewPool(t)
	rows, err := pool.Query(context.Background(), `
		SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
		FROM pg_constraint
		WHERE contype = 'c' AND connamespace = 'public'::regnamespace
		ORDER BY 1, 2`)
	require.NoError(t, err)
	defer rows.Close()
	var checks checkLists
	n := 0
	for rows.Next() {
		var table, name, def string
		require.NoError(t, rows.Scan(&table, &name, &def))
		require.NoError(t, checks.add(table, name, def))
		n++
	}
	require.NoError(t, rows.Err())
	require.NotZero(t, n, "the migrated database has CHECK constraints")
	return checks
}

// stringsOf converts a slice of string-based values to strings.
func stringsOf[S ~string](s []S) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}
