package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/partnerskap-skane/partnernet"
	"github.com/partnerskap-skane/partnernet/loaders"
	"github.com/partnerskap-skane/partnernet/relay"
)

// document turns a value into a JSON document whose keys start in lower case, as the rest of
// the API's: the shape of an export is the domain's own, field by field.
func document(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode export: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("decode export: %w", err)
	}
	return lowerKeys(m).(map[string]any), nil
}

// lowerKeys lower-cases the first letter of every object key in v, recursively.
func lowerKeys(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			r, n := utf8.DecodeRuneInString(k)
			out[string(unicode.ToLower(r))+k[n:]] = lowerKeys(val)
		}
		return out
	case []any:
		for i := range t {
			t[i] = lowerKeys(t[i])
		}
		return t
	default:
		return v
	}
}

// idTypes are the types of the internal ids an export holds, by the key that holds them (after
// lowerKeys): each becomes the object's global ID, so that an export names nothing by an internal
// number.
var idTypes = map[string]string{
	"newcomerID": typeNewcomer, "mergedID": typeNewcomer, "survivorID": typeNewcomer, "mergedInto": typeNewcomer,
	"organisationID": typeOrganisation, "controllerID": typeOrganisation, "recipientIDs": typeOrganisation,
	"organiserID": typeOrganisation, "coOrganiserIDs": typeOrganisation, "fromOrgID": typeOrganisation,
	"toOrgID": typeOrganisation, "responsibleOrgID": typeOrganisation, "recordedByOrgID": typeOrganisation,
	"activityID": typeActivity, "municipalityID": typeMunicipality, "residenceMunicipalityID": typeMunicipality,
	"serviceAreaIDs": typeMunicipality, "programmeID": typeProgramme, "consentRecordID": typeConsentRecord,
	"sharingConsentID": typeConsentRecord, "referralID": typeReferral, "planID": typeSupportPlan,
	"enrolmentID": typeEnrolment, "courseID": typeCourse, "sessionID": typeCourseSession,
	"participantID": typeCourseParticipant, "deskID": typeAdviceDesk, "visitID": typeAdviceVisit,
}

// sectionTypes are the types of the records of an export's sections, whose own id becomes a
// global ID.
var sectionTypes = map[string]string{
	"newcomer": typeNewcomer, "consents": typeConsentRecord, "referrals": typeReferral, "plans": typeSupportPlan,
	"enrolments": typeEnrolment, "courseParticipations": typeCourseParticipant, "adviceVisits": typeAdviceVisit,
}

// enumLabels are the keys of an export holding values of labelled enums, with the enum.
var enumLabels = map[string]string{
	"purposes": "Purpose", "purpose": "Purpose", "dataCategories": "DataCategory", "categories": "DataCategory",
	"category": "DataCategory", "topic": "AdviceTopic", "status": "EnrolmentStatus",
}

// readable rewrites an export for its reader: every internal id as a global ID, organisations,
// municipalities, programmes and activities also by name (key + "Name", in the reader's
// language), labelled enum values also by label (key + "Labels" or "Label"), and each entry of the
// access log with its summary sentence.
func (r *Resolver) readable(ctx context.Context, rd partnernet.Reader, doc map[string]any, log []partnernet.AuditEvent) error {
	rctx := partnernet.WithReader(ctx, rd)
	name := func(typename string, id int64) (string, bool, error) {
		l := loaders.For(ctx)
		switch typename {
		case typeOrganisation:
			o, err := nullIfMissing(l.Organisation.Load(ctx, id)())
			if err != nil || o == nil {
				return "", false, err
			}
			n, err := publicText(rctx, partnernet.TextOfOrganisation, o.ID, partnernet.TextName, organisationOwn, o, o.Name)
			return n, true, err
		case typeMunicipality:
			m, err := nullIfMissing(l.Municipality.Load(ctx, id)())
			if err != nil || m == nil {
				return "", false, err
			}
			return m.Name, true, nil
		case typeProgramme:
			p, err := nullIfMissing(l.Programme.Load(ctx, id)())
			if err != nil || p == nil {
				return "", false, err
			}
			n, err := publicText(rctx, partnernet.TextOfProgramme, p.ID, partnernet.TextName, programmeOwn, p, p.NameSv)
			return n, true, err
		case typeActivity:
			a, err := nullIfMissing(l.Activity.Load(ctx, id)())
			if err != nil || a == nil {
				return "", false, err
			}
			t, err := activityText(ctx, rd, a)
			if err != nil {
				return "", false, err
			}
			return t.Title.Text, true, nil
		}
		return "", false, nil
	}
	var walk func(section string, v any) error
	walk = func(section string, v any) error {
		switch t := v.(type) {
		case []any:
			for _, item := range t {
				if err := walk(section, item); err != nil {
					return err
				}
			}
		case map[string]any:
			for k, val := range t {
				if typename, ok := sectionTypes[section]; ok && (k == "iD" || k == "id") {
					if n, ok := val.(float64); ok {
						t[k] = relay.ToGlobalID(typename, int64(n))
					}
					continue
				}
				if typename, ok := idTypes[k]; ok {
					gids, names, err := globalIDs(typename, val, name)
					if err != nil {
						return err
					}
					t[k] = gids
					if names != nil {
						if base, ok := strings.CutSuffix(k, "IDs"); ok {
							t[base+"Names"] = names
						} else {
							t[strings.TrimSuffix(k, "ID")+"Name"] = names
						}
					}
					continue
				}
				if enum, ok := enumLabels[k]; ok {
					t[k+"Label"] = labelsOf(rd, enum, val)
					continue
				}
				if err := walk(section, val); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for section, v := range doc {
		if err := walk(section, v); err != nil {
			return err
		}
	}
	entries := make([]any, len(log))
	for i := range log {
		s, err := r.auditSummary(ctx, rd, &log[i])
		if err != nil {
			return err
		}
		entries[i] = map[string]any{"occurredAt": log[i].OccurredAt, "summary": s.Text, "language": s.Language}
	}
	doc["accessLogInWords"] = entries
	return nil
}

// globalIDs turns an id or a list of ids of typename into global IDs, and names them where
// name can.
func globalIDs(typename string, v any, name func(string, int64) (string, bool, error)) (any, any, error) {
	one := func(x any) (string, string, bool, error) {
		n, ok := x.(float64)
		if !ok {
			return "", "", false, nil
		}
		s, named, err := name(typename, int64(n))
		return relay.ToGlobalID(typename, int64(n)), s, named, err
	}
	switch t := v.(type) {
	case []any:
		gids, names := make([]any, len(t)), make([]any, len(t))
		anyNamed := false
		for i, x := range t {
			gid, s, named, err := one(x)
			if err != nil {
				return nil, nil, err
			}
			gids[i], names[i], anyNamed = gid, s, anyNamed || named
		}
		if !anyNamed {
			return gids, nil, nil
		}
		return gids, names, nil
	case float64:
		gid, s, named, err := one(t)
		if err != nil || !named {
			return gid, nil, err
		}
		return gid, s, nil
	}
	return v, nil, nil
}

// labelsOf labels an enum value or list of them for the reader.
func labelsOf(rd partnernet.Reader, enum string, v any) any {
	switch t := v.(type) {
	case string:
		return rd.Label(enum, t).Text
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			s, _ := x.(string)
			out[i] = rd.Label(enum, s).Text
		}
		return out
	}
	return nil
}
