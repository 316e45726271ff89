package hsds

import (
	"github.com/partnerskap-skane/partnernet"
)

// Taxonomy is one of the vocabularies the API classifies services by: its name (part of every
// id made from it), title and terms, each with a stable code.
type Taxonomy struct {
	// Name is the taxonomy's stable handle, e.g. "partnernet-activity-categories".
	Name string
	// Title and Description name and describe it.
	Title, Description Text
	// LinkType is the attribute link_type of a service's term of the taxonomy.
	LinkType string
	// Terms are its terms, in order.
	Terms []Term
}

// Term is a term of a taxonomy: a code the domain uses (an ActivityCategory, a TargetGroup) with
// its name and description.
type Term struct {
	Code              string
	Name, Description Text
}

// The taxonomies of the API: what kind of activity a service is, and whom it is for.
var (
	Categories = Taxonomy{
		Name:        "partnernet-activity-categories",
		Title:       bilingual("Aktivitetskategorier", "Activity categories"),
		Description: bilingual("Vilken sorts aktivitet det är, i Partnerskap Skånes nätverk.", "What kind of activity it is, in the Partnership Skåne network."),
		LinkType:    "service_type",
		Terms: []Term{
			{string(partnernet.ActivityLanguagePractice), bilingual("Språkträning", "Language practice"),
				bilingual("Öva svenska: språkcaféer, samtalsgrupper.", "Practising Swedish: language cafés, conversation groups.")},
			{string(partnernet.ActivitySports), bilingual("Idrott och motion", "Sports and exercise"),
				bilingual("Idrott, motion och friluftsliv.", "Sports, exercise and the outdoors.")},
			{string(partnernet.ActivityCulture), bilingual("Kultur", "Culture"),
				bilingual("Musik, konst, bibliotek och kulturarv.", "Music, art, libraries and heritage.")},
			{string(partnernet.ActivityHealth), bilingual("Hälsa", "Health"),
				bilingual("Hälsa och välbefinnande.", "Health and wellbeing.")},
			{string(partnernet.ActivityParenting), bilingual("Föräldraskap", "Parenting"),
				bilingual("Föräldrastöd och aktiviteter för familjer.", "Parenting support and family activities.")},
			{string(partnernet.ActivityCivicOrientation), bilingual("Samhällsorientering", "Civic orientation"),
				bilingual("Hur det svenska samhället fungerar.", "How Swedish society works.")},
			{string(partnernet.ActivityWorkAndStudy), bilingual("Arbete och studier", "Work and study"),
				bilingual("Jobbsökande, utbildning och mentorskap.", "Job-seeking, education and mentoring.")},
			{string(partnernet.ActivitySocialMeetingPlace), bilingual("Mötesplats", "Social meeting place"),
				bilingual("En öppen social mötesplats.", "An open social meeting place.")},
		},
	}
	TargetGroups = Taxonomy{
		Name:        "partnernet-target-groups",
		Title:       bilingual("Målgrupper", "Target groups"),
		Description: bilingual("Vem en aktivitet är till för.", "Whom an activity is meant for."),
		LinkType:    "eligibility",
		Terms: []Term{
			{string(partnernet.TargetChildren), bilingual("Barn", "Children"), bilingual("Barn.", "Children.")},
			{string(partnernet.TargetYouth), bilingual("Unga", "Young people"), bilingual("Ungdomar och unga vuxna.", "Young people.")},
			{string(partnernet.TargetWomen), bilingual("Kvinnor", "Women"), bilingual("Kvinnor.", "Women.")},
			{string(partnernet.TargetMen), bilingual("Män", "Men"), bilingual("Män.", "Men.")},
			{string(partnernet.TargetParents), bilingual("Föräldrar", "Parents"), bilingual("Föräldrar.", "Parents.")},
			{string(partnernet.TargetFamilies), bilingual("Familjer", "Families"), bilingual("Hela familjer.", "Whole families.")},
			{string(partnernet.TargetSeniors), bilingual("Seniorer", "Seniors"), bilingual("Äldre.", "Older people.")},
			{string(partnernet.TargetEveryone), bilingual("Alla", "Everyone"), bilingual("Alla är välkomna.", "Everyone is welcome.")},
		},
	}
	// Taxonomies are every taxonomy of the API, in order.
	Taxonomies = []*Taxonomy{&Categories, &TargetGroups}
)

// ID is the taxonomy's stable UUID.
func (t *Taxonomy) ID() string { return ID(kindTaxonomy, t.Name) }

// TermID is the stable UUID of the taxonomy's term with code.
func (t *Taxonomy) TermID(code string) string { return ID(kindTaxonomyTerm, t.Name, code) }

// term returns the taxonomy's term with code.
func (t *Taxonomy) term(code string) (Term, bool) {
	for _, term := range t.Terms {
		if term.Code == code {
			return term, true
		}
	}
	return Term{}, false
}

// termByID finds the term with a UUID among every taxonomy's.
func termByID(id string) (*Taxonomy, Term, bool) {
	for _, t := range Taxonomies {
		for _, term := range t.Terms {
			if t.TermID(term.Code) == id {
				return t, term, true
			}
		}
	}
	return nil, Term{}, false
}

// taxonomyByID finds the taxonomy with a UUID.
func taxonomyByID(id string) (*Taxonomy, bool) {
	for _, t := range Taxonomies {
		if t.ID() == id {
			return t, true
		}
	}
	return nil, false
}
